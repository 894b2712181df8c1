package io.ordermesh.platform.inbox;

import io.ordermesh.infra.kafka.EmbeddedKafka;
import io.ordermesh.infra.kafka.EmbeddedKafka.KafkaSettings;
import io.ordermesh.infra.postgres.EmbeddedPostgres;
import io.ordermesh.infra.postgres.PostgresSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The real PostgreSQL and Kafka of this test JVM, started on first use and stopped with the JVM. */
public final class PlatformTestInfra {

  private static EmbeddedPostgres postgres;
  private static EmbeddedKafka kafka;

  private PlatformTestInfra() {
  }

  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      postgres = EmbeddedPostgres.start(new PostgresSettings(home("pg"), 0, "platform", "platform", "platform"));
      Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "platform-test-postgres-stop"));
    }
    return postgres;
  }

  public static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      kafka = EmbeddedKafka.start(KafkaSettings.withFreePorts(home("kafka")));
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "platform-test-kafka-stop"));
    }
    return kafka;
  }

  /** A directory the unprivileged PostgreSQL user can enter when tests run as root. */
  private static Path home(String prefix) {
    try {
      Path dir = Files.createTempDirectory("ordermesh-platform-" + prefix);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
