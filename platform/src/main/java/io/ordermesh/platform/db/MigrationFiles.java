package io.ordermesh.platform.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The migrations this build would run, as one SHA-256: Flyway's version, the settings it runs with,
 * and the name and content of every file under the migration folders, in every classpath entry that
 * has them (as Flyway scans them all). Two starts with the same fingerprint run the very same
 * migrations the very same way, which is what lets a start skip Flyway when the schema's history is
 * also unchanged ({@link Database#migrate}).
 *
 * <p>In a directory a file counts by its bytes; in a jar by the CRC-32 and size its central directory
 * records for it (the same content, without inflating it). A jar's directory is listed once per JVM and
 * its SQL files kept: the fat jar has some 40 000 entries, and four services ask. Reads files
 * (blocking): call it on a worker.
 */
final class MigrationFiles {

  private static final String FLYWAY_VERSION = "org/flywaydb/core/internal/version.txt";
  /** Per jar file (path, size, modification time): its SQL entries by name, with their CRC-32 and size. */
  private static final Map<String, SortedMap<String, String>> JAR_SQL = new ConcurrentHashMap<>();

  private MigrationFiles() {
  }

  /**
   * Empty when a folder is not on the classpath, is somewhere other than a jar or a directory, or
   * cannot be read: then there is nothing to compare, and Flyway runs.
   *
   * @param settings what else decides what Flyway does (schema, history table...), as text
   */
  static Optional<String> fingerprint(ClassLoader loader, List<String> folders, String settings) {
    try {
      MessageDigest digest = sha256();
      digest.update(("flyway " + flywayVersion(loader) + "\n" + settings + "\n").getBytes(StandardCharsets.UTF_8));
      for (String folder : folders) {
        List<URL> places = Collections.list(loader.getResources(folder));
        if (places.isEmpty()) {
          return Optional.empty();
        }
        for (URL place : places) {
          if (!add(digest, folder, place)) {
            return Optional.empty();
          }
        }
      }
      return Optional.of(HexFormat.of().formatHex(digest.digest()));
    } catch (IOException | UncheckedIOException | IllegalArgumentException | URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * The SQL files under each folder, by the names a class loader finds them under ({@code db/x/V1__a.sql}),
   * from every classpath entry that has the folder: what Flyway's scanner would find there
   * ({@link ListedMigrations}). Empty in the same cases as {@link #fingerprint}. Reads files (blocking).
   */
  static Optional<Map<String, List<String>>> sqlFiles(ClassLoader loader, List<String> folders) {
    try {
      Map<String, List<String>> files = new LinkedHashMap<>();
      for (String folder : folders) {
        List<URL> places = Collections.list(loader.getResources(folder));
        List<String> names = new ArrayList<>();
        for (URL place : places) {
          if (!addNames(names, folder, place)) {
            return Optional.empty();
          }
        }
        if (places.isEmpty()) {
          return Optional.empty();
        }
        files.put(folder, List.copyOf(names));
      }
      return Optional.of(files);
    } catch (IOException | UncheckedIOException | IllegalArgumentException | URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean addNames(List<String> names, String folder, URL place) throws IOException, URISyntaxException {
    switch (place.getProtocol()) {
      case "jar" -> {
        String prefix = folder + "/";
        jarSql(jarOf(place)).tailMap(prefix).keySet().stream()
            .takeWhile(name -> name.startsWith(prefix))
            .forEach(names::add);
        return true;
      }
      case "file" -> {
        Path directory = Path.of(place.toURI());
        try (Stream<Path> paths = Files.walk(directory)) {
          paths.filter(path -> Files.isRegularFile(path) && path.getFileName().toString().endsWith(".sql"))
              .map(path -> folder + "/" + directory.relativize(path).toString().replace('\\', '/'))
              .sorted()
              .forEach(names::add);
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static boolean add(MessageDigest digest, String folder, URL place)
      throws IOException, URISyntaxException {
    switch (place.getProtocol()) {
      case "jar" -> {
        addJar(digest, folder, jarOf(place));
        return true;
      }
      case "file" -> {
        addDirectory(digest, folder, Path.of(place.toURI()));
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static Path jarOf(URL place) throws IOException, URISyntaxException {
    return Path.of(((JarURLConnection) place.openConnection()).getJarFileURL().toURI()).toRealPath();
  }

  /** The jar's SQL entries, listed once per version of the jar file in this JVM. */
  private static SortedMap<String, String> jarSql(Path jar) throws IOException {
    String jarVersion = jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
    return JAR_SQL.computeIfAbsent(jarVersion, key -> sqlEntries(jar));
  }

  private static void addJar(MessageDigest digest, String folder, Path jar) throws IOException {
    String prefix = folder + "/";
    SortedMap<String, String> sql = jarSql(jar);
    digest.update(("jar " + folder + "\n").getBytes(StandardCharsets.UTF_8));
    sql.tailMap(prefix).entrySet().stream()
        .takeWhile(entry -> entry.getKey().startsWith(prefix))
        .forEach(entry -> digest.update((entry.getKey().substring(prefix.length()) + " " + entry.getValue() + "\n")
            .getBytes(StandardCharsets.UTF_8)));
  }

  /** Flyway's migrations here are SQL files; other entries cannot change what it runs. */
  private static SortedMap<String, String> sqlEntries(Path jar) {
    SortedMap<String, String> sql = new TreeMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
        if (entry.getName().endsWith(".sql")) {
          sql.put(entry.getName(), Long.toHexString(entry.getCrc()) + " " + entry.getSize());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Collections.unmodifiableSortedMap(sql);
  }

  /** Each file by name (sorted, so the fingerprint does not depend on listing order) and content. */
  private static void addDirectory(MessageDigest digest, String folder, Path directory) throws IOException {
    SortedMap<String, Path> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.filter(Files::isRegularFile)
          .forEach(path -> files.put(directory.relativize(path).toString().replace('\\', '/'), path));
    }
    digest.update(("directory " + folder + "\n").getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, Path> file : files.entrySet()) {
      byte[] content = Files.readAllBytes(file.getValue());
      digest.update((file.getKey() + " " + content.length + "\n").getBytes(StandardCharsets.UTF_8));
      digest.update(content);
    }
  }

  private static String flywayVersion(ClassLoader loader) throws IOException {
    try (InputStream in = loader.getResourceAsStream(FLYWAY_VERSION)) {
      if (in == null) {
        throw new IOException("no " + FLYWAY_VERSION + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
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
