package io.ordermesh.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprint changes with the migrations a build carries and how Flyway runs them, and only then. */
class MigrationFilesTest {

  private static final String SETTINGS = "schema=test";
  private static final Map<String, String> FILES = Map.of(
      "V1__first.sql", "CREATE TABLE a (id int);\n",
      "V2__second.sql", "CREATE TABLE b (id int);\n");

  @TempDir
  Path temp;

  @Test
  void copiesOfTheSameMigrationsHaveTheSameFingerprint() throws IOException {
    Optional<String> directory = fingerprint(SETTINGS, directory("one", FILES));

    assertThat(directory).isPresent();
    assertThat(fingerprint(SETTINGS, directory("two", FILES))).isEqualTo(directory);
    assertThat(fingerprint(SETTINGS, jar("one.jar", FILES))).isPresent()
        .isEqualTo(fingerprint(SETTINGS, jar("two.jar", FILES)));
  }

  @Test
  void anEditedRenamedOrAddedMigrationChangesTheFingerprint() throws IOException {
    Optional<String> original = fingerprint(SETTINGS, directory("original", FILES));
    Optional<String> edited = fingerprint(SETTINGS, directory("edited", Map.of(
        "V1__first.sql", "CREATE TABLE a (id bigint);\n", "V2__second.sql", FILES.get("V2__second.sql"))));
    Optional<String> renamed = fingerprint(SETTINGS, directory("renamed", Map.of(
        "V1__first.sql", FILES.get("V1__first.sql"), "V3__second.sql", FILES.get("V2__second.sql"))));
    Optional<String> added = fingerprint(SETTINGS, directory("added", Map.of(
        "V1__first.sql", FILES.get("V1__first.sql"), "V2__second.sql", FILES.get("V2__second.sql"),
        "V3__third.sql", "SELECT 1;\n")));

    assertThat(List.of(edited, renamed, added)).allSatisfy(other -> assertThat(other).isPresent().isNotEqualTo(original));
  }

  @Test
  void aMigrationEditedInsideAJarOfTheSameSizeChangesTheFingerprint() throws IOException {
    Optional<String> built = fingerprint(SETTINGS, jar("built.jar", FILES));
    Optional<String> edited = fingerprint(SETTINGS, jar("edited.jar", Map.of(
        "V1__first.sql", "CREATE TABLE z (id int);\n", "V2__second.sql", FILES.get("V2__second.sql"))));

    assertThat(edited).isPresent().isNotEqualTo(built);
  }

  @Test
  void otherFlywaySettingsChangeTheFingerprint() throws IOException {
    Path migrations = directory("dir", FILES);

    assertThat(fingerprint("schema=other", migrations)).isPresent().isNotEqualTo(fingerprint(SETTINGS, migrations));
  }

  @Test
  void aFolderMissingFromTheClasspathHasNoFingerprint() throws IOException {
    try (URLClassLoader loader = loader(directory("empty", Map.of()))) {
      assertThat(MigrationFiles.fingerprint(loader, List.of("db/nowhere"), SETTINGS)).isEmpty();
    }
  }

  @Test
  void listsWhatFlywayReadsTheSameFromAJarAsFromADirectory() throws IOException {
    Map<String, String> files = new java.util.HashMap<>(FILES);
    files.put("README.txt", "not a migration\n");
    files.put("V1__first.sql.conf", "executeInTransaction=true\n");
    files.put("sub/V3__third.SQL", "SELECT 3;\n");

    Optional<Map<String, List<String>>> fromDirectory = flywayFiles(directory("dir", files));

    assertThat(fromDirectory).contains(Map.of("db/test", List.of("db/test/V1__first.sql", "db/test/V1__first.sql.conf",
        "db/test/V2__second.sql", "db/test/sub/V3__third.SQL")));
    assertThat(flywayFiles(jar("files.jar", files))).isEqualTo(fromDirectory);
  }

  @Test
  void aScriptsConfigurationChangesTheFingerprint() throws IOException {
    Map<String, String> configured = new java.util.HashMap<>(FILES);
    configured.put("V2__second.sql.conf", "executeInTransaction=false\n");

    assertThat(fingerprint(SETTINGS, jar("configured.jar", configured))).isPresent()
        .isNotEqualTo(fingerprint(SETTINGS, jar("plain.jar", FILES)));
    assertThat(fingerprint(SETTINGS, directory("configured", configured))).isPresent()
        .isNotEqualTo(fingerprint(SETTINGS, directory("plain", FILES)));
  }

  @Test
  void aFolderMissingFromTheClasspathHasNoListing() throws IOException {
    try (URLClassLoader loader = loader(directory("none", Map.of()))) {
      assertThat(MigrationFiles.flywayFiles(loader, List.of("db/nowhere"))).isEmpty();
    }
  }

  private static Optional<Map<String, List<String>>> flywayFiles(Path classpathEntry) throws IOException {
    try (URLClassLoader loader = loader(classpathEntry)) {
      return MigrationFiles.flywayFiles(loader, List.of("db/test"));
    }
  }

  private static Optional<String> fingerprint(String settings, Path classpathEntry) throws IOException {
    try (URLClassLoader loader = loader(classpathEntry)) {
      return MigrationFiles.fingerprint(loader, List.of("db/test"), settings);
    }
  }

  /** The migrations' classpath entry, over this test's classpath (where Flyway is). */
  private static URLClassLoader loader(Path classpathEntry) throws IOException {
    return new URLClassLoader(new URL[] {classpathEntry.toUri().toURL()}, MigrationFilesTest.class.getClassLoader());
  }

  private Path directory(String name, Map<String, String> files) throws IOException {
    Path root = temp.resolve(name);
    Path folder = Files.createDirectories(root.resolve("db/test"));
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = folder.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    return root;
  }

  private Path jar(String name, Map<String, String> files) throws IOException {
    Path jar = temp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
      zip.putNextEntry(new JarEntry("db/"));
      zip.putNextEntry(new JarEntry("db/test/"));
      for (Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
        zip.putNextEntry(new JarEntry("db/test/" + file.getKey()));
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return jar;
  }
}
