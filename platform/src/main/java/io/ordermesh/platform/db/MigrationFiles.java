package io.ordermesh.platform.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The migration scripts this build carries under some classpath folders, as one SHA-256. Two starts
 * with the same fingerprint run the very same migrations, which is what lets a start skip Flyway when
 * the schema's history is also unchanged ({@link Database#migrate}). Folders in a directory (a
 * development build) count by their files' names and contents; folders in a jar by the jar file itself
 * (path, size, modification time): listing a fat jar's tens of thousands of entries would cost a
 * service start more than the shortcut saves, and a rebuilt jar only runs Flyway once more. Reads
 * the file system (blocking): call it on a worker.
 */
final class MigrationFiles {

  private MigrationFiles() {
  }

  /**
   * Empty when a folder is not on the classpath, or is somewhere other than a jar or a directory:
   * then there is nothing to compare, and Flyway runs.
   */
  static Optional<String> fingerprint(ClassLoader loader, List<String> folders) {
    MessageDigest digest = sha256();
    for (String folder : folders) {
      URL url = loader.getResource(folder);
      if (url == null) {
        return Optional.empty();
      }
      try {
        switch (url.getProtocol()) {
          case "jar" -> addJar(digest, folder, ((JarURLConnection) url.openConnection()).getJarFileURL());
          case "file" -> addDirectory(digest, folder, Path.of(url.toURI()));
          default -> {
            return Optional.empty();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the migrations in " + url, e);
      } catch (URISyntaxException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.of(HexFormat.of().formatHex(digest.digest()));
  }

  private static void addJar(MessageDigest digest, String folder, URL jarUrl) throws IOException, URISyntaxException {
    Path jar = Path.of(jarUrl.toURI()).toRealPath();
    digest.update(("jar " + jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis()
        + " " + folder + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Each file by name (sorted, so the fingerprint does not depend on listing order) and content. */
  private static void addDirectory(MessageDigest digest, String folder, Path directory) throws IOException {
    TreeMap<String, Path> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.filter(Files::isRegularFile)
          .forEach(path -> files.put(directory.relativize(path).toString().replace('\\', '/'), path));
    }
    for (Map.Entry<String, Path> file : files.entrySet()) {
      byte[] content = Files.readAllBytes(file.getValue());
      digest.update(("file " + folder + "/" + file.getKey() + " " + content.length + "\n")
          .getBytes(StandardCharsets.UTF_8));
      digest.update(content);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
