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
import java.util.Locale;
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
 * and the name and content of every file Flyway reads under the migration folders (SQL, a script's
 * {@code .conf}), in every classpath entry that has them (as Flyway scans them all). Two starts with
 * the same fingerprint run the very same migrations the very same way, which is what lets a start skip
 * Flyway when the schema's history is also unchanged ({@link Database#migrate}).
 *
 * <p>In a directory a file counts by its bytes; in a jar by the CRC-32 and size its central directory
 * records for it (the same content, without inflating it). A jar's directory is listed once per JVM and
 * Flyway's files kept: the fat jar has some 40 000 entries, and four services ask, for the fingerprint
 * and then for Flyway ({@link #flywayFiles}). Reads files (blocking): call it on a worker.
 */
final class MigrationFiles {

  private static final String FLYWAY_VERSION = "org/flywaydb/core/internal/version.txt";
  /** Per jar file (path, size, modification time): its Flyway files by name, with their CRC-32 and size. */
  private static final Map<String, SortedMap<String, String>> JAR_FILES = new ConcurrentHashMap<>();

  private MigrationFiles() {
  }

  /**
   * Empty when a folder is not on the classpath, is somewhere other than a jar or a directory, or
   * cannot be read: then there is nothing to compare, and Flyway runs.
   *
   * @param settings what else decides what Flyway does (schema, history table...), as text
   */
  static Optional<String> fingerprint(ClassLoader loader, List<String> folders, String settings) {
    Optional<Map<String, List<Place>>> listed = listed(loader, folders);
    if (listed.isEmpty()) {
      return Optional.empty();
    }
    try {
      MessageDigest digest = sha256();
      digest.update(("flyway " + flywayVersion(loader) + "\n" + settings + "\n").getBytes(StandardCharsets.UTF_8));
      listed.get().forEach((folder, places) -> {
        int prefix = folder.length() + 1;
        for (Place place : places) {
          digest.update((place.kind() + " " + folder + "\n").getBytes(StandardCharsets.UTF_8));
          place.files().forEach((name, content) -> digest.update(
              (name.substring(prefix) + " " + content + "\n").getBytes(StandardCharsets.UTF_8)));
        }
      });
      return Optional.of(HexFormat.of().formatHex(digest.digest()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Flyway's files under each folder ({@link #isFlywayFile}), by the names a class loader finds them under
   * ({@code db/x/V1__a.sql}), from every classpath entry that has the folder: the files
   * {@link ListedMigrations} hands Flyway. Empty where {@link #fingerprint} has nothing to compare.
   */
  static Optional<Map<String, List<String>>> flywayFiles(ClassLoader loader, List<String> folders) {
    return listed(loader, folders).map(listed -> {
      Map<String, List<String>> files = new LinkedHashMap<>();
      listed.forEach((folder, places) ->
          files.put(folder, places.stream().flatMap(place -> place.files().keySet().stream()).toList()));
      return files;
    });
  }

  /** Each folder's places, in the folders' order; empty when a folder has none that can be read. */
  private static Optional<Map<String, List<Place>>> listed(ClassLoader loader, List<String> folders) {
    try {
      Map<String, List<Place>> listed = new LinkedHashMap<>();
      for (String folder : folders) {
        Optional<List<Place>> places = places(loader, folder);
        if (places.isEmpty()) {
          return Optional.empty();
        }
        listed.put(folder, places.get());
      }
      return Optional.of(listed);
    } catch (IOException | UncheckedIOException | IllegalArgumentException | URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * The files Flyway reads in a migration folder: SQL migrations and callbacks, and a script's own
   * configuration ({@code V1__a.sql.conf}). Flyway matches the suffix in any case.
   */
  private static boolean isFlywayFile(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".sql") || lower.endsWith(".sql.conf");
  }

  /**
   * One classpath entry's Flyway files under a folder, by class loader name, with what identifies
   * their content: in a jar the CRC-32 and size its central directory records, in a directory the
   * size and SHA-256 of the bytes.
   */
  private record Place(String kind, SortedMap<String, String> files) {
  }

  /** Every classpath entry that has the folder; empty when there is none or one is neither a jar nor a directory. */
  private static Optional<List<Place>> places(ClassLoader loader, String folder) throws IOException, URISyntaxException {
    List<URL> urls = Collections.list(loader.getResources(folder));
    List<Place> places = new ArrayList<>();
    for (URL url : urls) {
      switch (url.getProtocol()) {
        case "jar" -> places.add(new Place("jar", inJar(folder, jarOf(url))));
        case "file" -> places.add(new Place("directory", inDirectory(folder, Path.of(url.toURI()))));
        default -> {
          return Optional.empty();
        }
      }
    }
    return urls.isEmpty() ? Optional.empty() : Optional.of(places);
  }

  private static Path jarOf(URL place) throws IOException, URISyntaxException {
    return Path.of(((JarURLConnection) place.openConnection()).getJarFileURL().toURI()).toRealPath();
  }

  private static SortedMap<String, String> inJar(String folder, Path jar) throws IOException {
    String prefix = folder + "/";
    String jarVersion = jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
    SortedMap<String, String> all = JAR_FILES.computeIfAbsent(jarVersion, key -> flywayEntries(jar));
    SortedMap<String, String> files = new TreeMap<>();
    all.tailMap(prefix).entrySet().stream()
        .takeWhile(entry -> entry.getKey().startsWith(prefix))
        .forEach(entry -> files.put(entry.getKey(), entry.getValue()));
    return files;
  }

  /** Only Flyway's files can change what it runs: the rest of the jar's 40 000 entries are not kept. */
  private static SortedMap<String, String> flywayEntries(Path jar) {
    SortedMap<String, String> entries = new TreeMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
        if (!entry.isDirectory() && isFlywayFile(entry.getName())) {
          entries.put(entry.getName(), Long.toHexString(entry.getCrc()) + " " + entry.getSize());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Collections.unmodifiableSortedMap(entries);
  }

  /** Sorted by name, so that neither the fingerprint nor Flyway depends on the listing's order. */
  private static SortedMap<String, String> inDirectory(String folder, Path directory) throws IOException {
    SortedMap<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isRegularFile(path) && isFlywayFile(path.getFileName().toString())) {
          byte[] content = Files.readAllBytes(path);
          files.put(folder + "/" + directory.relativize(path).toString().replace('\\', '/'),
              content.length + " " + HexFormat.of().formatHex(sha256().digest(content)));
        }
      }
    }
    return files;
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
