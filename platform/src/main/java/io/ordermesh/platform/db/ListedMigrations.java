package io.ordermesh.platform.db;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;
import org.flywaydb.core.internal.util.StringUtils;

/**
 * One schema's migration files as the start has already listed them ({@link MigrationFiles#flywayFiles}),
 * handed to Flyway in place of its own classpath scan. That scan walks every entry of the fat jar (some
 * 40 000) once per folder of each schema: eight walks on a first start, a few tens of milliseconds each
 * in a cold JVM, where the listing the migration check already made costs nothing more.
 *
 * <p>The resources are Flyway's own classpath resources for the same locations and names as its scanner
 * finds, matched by its own rule, so the history records the same scripts and checksums
 * ({@code MigrationShortcutTest} migrates a schema each way and compares). Two differences that our
 * folders never meet: a name found in two classpath entries is read from the first (two copies of a
 * migration are an error either way), and hidden sub-folders, which Flyway's scan skips, are listed.
 * Java migrations are not looked for: these folders hold SQL only, as the fingerprint assumes.
 */
final class ListedMigrations implements ResourceProvider {

  /** No migration here is a Java class. */
  static final ClassProvider<JavaMigration> NO_JAVA_MIGRATIONS = List::of;

  private final List<LoadableResource> resources = new ArrayList<>();
  /** By relative path, lower case, as Flyway's scanner looks one up (a script's {@code .conf}). */
  private final Map<String, LoadableResource> byRelativePath = new HashMap<>();

  /** @param filesByFolder class loader names ({@code db/x/V1__a.sql}) under each migration folder */
  ListedMigrations(Map<String, List<String>> filesByFolder, ClassLoader loader, Charset encoding) {
    filesByFolder.forEach((folder, files) -> {
      Location location = new Location("classpath:" + folder);
      for (String file : files) {
        LoadableResource resource = new ClassPathResource(location, file, loader, encoding);
        resources.add(resource);
        byRelativePath.putIfAbsent(resource.getRelativePath().toLowerCase(Locale.ROOT), resource);
      }
    });
  }

  @Override
  public LoadableResource getResource(String name) {
    return byRelativePath.get(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    return resources.stream().filter(resource -> StringUtils.startsAndEndsWith(resource.getFilename(), prefix, suffixes))
        .toList();
  }
}
