package io.ordermesh.infra.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KRaft log directory: formats it once, then leaves it alone so the cluster id and all data survive restarts.
 */
final class KafkaStorage {

  private static final Logger log = LoggerFactory.getLogger(KafkaStorage.class);

  // Written by the format step; its presence is what Kafka itself checks to decide a directory is formatted.
  private static final String META_PROPERTIES = "meta.properties";
  private static final String CLUSTER_ID_KEY = "cluster.id";

  private KafkaStorage() {
  }

  static boolean isFormatted(Path dataDir) {
    return Files.isRegularFile(dataDir.resolve(META_PROPERTIES));
  }

  /** Formats a fresh directory with a new random cluster id, as {@code kafka-storage.sh format} would. */
  static void format(Path dataDir, Properties brokerProps) {
    String clusterId = Uuid.randomUuid().toString();
    // StorageTool only reads its configuration from a file.
    Path configFile = writeTempConfig(brokerProps);
    try {
      runFormat(configFile, clusterId);
      log.info("Formatted Kafka storage {} with cluster id {}", dataDir, clusterId);
    } finally {
      deleteQuietly(configFile);
    }
  }

  static String clusterId(Path dataDir) {
    Properties meta = new Properties();
    try (Reader reader = Files.newBufferedReader(dataDir.resolve(META_PROPERTIES), StandardCharsets.UTF_8)) {
      meta.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Kafka " + META_PROPERTIES + " in " + dataDir, e);
    }
    return meta.getProperty(CLUSTER_ID_KEY);
  }

  private static void runFormat(Path configFile, String clusterId) {
    String[] args = {"format", "--config", configFile.toString(), "--cluster-id", clusterId};
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      exitCode = StorageTool.execute(args, out);
    }
    String text = output.toString(StandardCharsets.UTF_8).strip();
    log.debug("kafka-storage format: {}", text);
    if (exitCode != 0) {
      throw new IllegalStateException("Formatting Kafka storage failed (exit code " + exitCode + "): " + text);
    }
  }

  private static Path writeTempConfig(Properties brokerProps) {
    try {
      Path file = Files.createTempFile("ordermesh-kafka-", ".properties");
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        brokerProps.store(writer, "Ordermesh embedded Kafka, used only to format storage");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the Kafka storage-format configuration", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("Could not delete {}", file, e);
    }
  }
}
