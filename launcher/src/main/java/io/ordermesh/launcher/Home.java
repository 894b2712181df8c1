package io.ordermesh.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The Ordermesh home ({@code ./.ordermesh} by default): embedded PostgreSQL and Kafka data and the
 * generated secrets, so a second {@code run} on the same home finds everything again.
 */
public final class Home {

  private static final int SECRET_BYTES = 32;
  private static final String JWT_SECRET_FILE = "jwt-hs256.key";
  private static final String PG_PASSWORD_FILE = "postgres.password";

  private final Path dir;

  public Home(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  public Path postgresDir() {
    return dir.resolve("postgres");
  }

  public Path kafkaDir() {
    return dir.resolve("kafka");
  }

  public Home create() {
    try {
      Files.createDirectories(dir);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Ordermesh home " + dir, e);
    }
  }

  /** The HS256 key every token of this home is signed with; generated on first use. */
  public String jwtSecret() {
    return secret(JWT_SECRET_FILE);
  }

  /** The embedded PostgreSQL password; generated on first use. */
  public String postgresPassword() {
    return secret(PG_PASSWORD_FILE);
  }

  private String secret(String name) {
    Path file = dir.resolve(name);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      create();
      byte[] bytes = new byte[SECRET_BYTES];
      new SecureRandom().nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Path tmp = Files.createTempFile(dir, name, ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        writeDurably(tmp, secret);
        publish(tmp, file);
        return secret;
      } catch (FileAlreadyExistsException anotherStartWasFirst) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /** On disk before it is published: after a power loss a published secret is whole, never empty. */
  private static void writeDurably(Path file, String content) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
  }

  /**
   * A link is made only where no file is: of two first starts on one home, one secret wins and both
   * use it (a move would let the second replace the first's, after the first had used it). Where the
   * file system has no hard links (FAT, some network and FUSE mounts), a move that refuses to replace.
   */
  private static void publish(Path written, Path file) throws IOException {
    try {
      Files.createLink(file, written);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException | UnsupportedOperationException noHardLinks) {
      Files.move(written, file);
    }
  }
}
