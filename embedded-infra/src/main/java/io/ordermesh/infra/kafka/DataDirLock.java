package io.ordermesh.infra.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exclusive ownership of a Kafka data directory by one embedded broker.
 *
 * <p>Kafka locks its log directories only when the broker part starts, after the controller has already opened (and
 * possibly appended to) the metadata log in the same directory. A second broker on the same directory, say a second
 * {@code ordermesh run}, would therefore write into a live metadata log before failing. Taking this lock first makes
 * it fail before touching anything, including the format step.
 */
final class DataDirLock implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DataDirLock.class);

  // Not Kafka's own ".lock": Kafka locks that file itself, and a second lock from this JVM would make it fail.
  private static final String LOCK_FILE = "ordermesh-kafka.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @throws IllegalStateException if another broker, in this JVM or another process, owns the directory */
  static DataDirLock acquire(Path dataDir) {
    FileChannel channel = open(dataDir.resolve(LOCK_FILE));
    FileLock lock = null;
    try {
      lock = tryLock(channel, dataDir);
      return new DataDirLock(channel, lock);
    } finally {
      if (lock == null) {
        closeQuietly(channel);
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot release the Kafka data directory lock", e);
    }
  }

  private static FileChannel open(Path lockFile) {
    try {
      return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open Kafka data directory lock " + lockFile, e);
    }
  }

  private static FileLock tryLock(FileChannel channel, Path dataDir) {
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(dataDir, "another process");
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      throw inUse(dataDir, "this JVM");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock Kafka data directory " + dataDir, e);
    }
  }

  private static IllegalStateException inUse(Path dataDir, String owner) {
    return new IllegalStateException(
        "Kafka data directory " + dataDir + " is already used by a broker in " + owner);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Could not close the Kafka data directory lock file", e);
    }
  }
}
