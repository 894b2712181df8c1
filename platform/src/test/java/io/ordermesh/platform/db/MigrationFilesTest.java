package io.ordermesh.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprint changes with the migration files a build carries, and only with them. */
class MigrationFilesTest {

  private static final Map<String, String> FILES = Map.of(
      "V1__first.sql", "CREATE TABLE a (id int);\n",
      "V2__second.sql", "CREATE TABLE b (id int);\n");

  @TempDir
  Path temp;

  @Test
  void theSameMigrationsHaveTheSameFingerprint() throws IOException {
    Path directory = directory("dir", FILES);
    Path jar = jar("migrations.jar", FILES);

    assertThat(fingerprint(directory)).isPresent().isEqualTo(fingerprint(directory));
    assertThat(fingerprint(jar)).isPresent().isEqualTo(fingerprint(jar));
  }

  @Test
  void aJarCountsAsItsFileSoARebuiltJarChangesTheFingerprint() throws IOException {
    Path jar = jar("migrations.jar", FILES);
    Optional<String> built = fingerprint(jar);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1_000));

    assertThat(fingerprint(jar)).isNotEqualTo(built);
  }

  @Test
  void anEditedRenamedOrAddedMigrationChangesTheFingerprint() throws IOException {
    Optional<String> original = fingerprint(directory("original", FILES));
    Optional<String> edited = fingerprint(directory("edited", Map.of(
        "V1__first.sql", "CREATE TABLE a (id bigint);\n", "V2__second.sql", FILES.get("V2__second.sql"))));
    Optional<String> renamed = fingerprint(directory("renamed", Map.of(
        "V1__first.sql", FILES.get("V1__first.sql"), "V3__second.sql", FILES.get("V2__second.sql"))));
    Optional<String> added = fingerprint(jar("added.jar", Map.of(
        "V1__first.sql", FILES.get("V1__first.sql"), "V2__second.sql", FILES.get("V2__second.sql"),
        "V3__third.sql", "SELECT 1;\n")));

    assertThat(List.of(edited, renamed, added)).allSatisfy(other -> assertThat(other).isNotEqualTo(original));
  }

  @Test
  void aFolderMissingFromTheClasspathHasNoFingerprint() throws IOException {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {directory("empty", Map.of()).toUri().toURL()}, null)) {
      assertThat(MigrationFiles.fingerprint(loader, List.of("db/nowhere"))).isEmpty();
    }
  }

  private static Optional<String> fingerprint(Path classpathEntry) throws IOException {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classpathEntry.toUri().toURL()}, null)) {
      return MigrationFiles.fingerprint(loader, List.of("db/test"));
    }
  }

  private Path directory(String name, Map<String, String> files) throws IOException {
    Path root = temp.resolve(name);
    Path folder = Files.createDirectories(root.resolve("db/test"));
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(folder.resolve(file.getKey()), file.getValue());
    }
    return root;
  }

  private Path jar(String name, Map<String, String> files) throws IOException {
    Path jar = temp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
      zip.putNextEntry(new JarEntry("db/"));
      zip.putNextEntry(new JarEntry("db/test/"));
      for (Map.Entry<String, String> file : files.entrySet()) {
        zip.putNextEntry(new JarEntry("db/test/" + file.getKey()));
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return jar;
  }
}
