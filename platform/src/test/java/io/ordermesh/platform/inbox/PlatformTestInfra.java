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
import org.apache.commons.io.file.PathUtils;

/** The real PostgreSQL and Kafka of this test JVM, started on first use and stopped with the JVM. */
public final class PlatformTestInfra {

  private static EmbeddedPostgres postgres;
  private static EmbeddedKafka kafka;

  private PlatformTestInfra() {
  }

  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      Path home = home("pg");
      postgres = EmbeddedPostgres.start(new PostgresSettings(home, 0, "platform", "platform", "platform"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(postgres, home), "platform-test-postgres-stop"));
    }
    return postgres;
  }

  public static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      Path home = home("kafka");
      kafka = EmbeddedKafka.start(KafkaSettings.withFreePorts(home));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(kafka, home), "platform-test-kafka-stop"));
    }
    return kafka;
  }

  /** Stops a server with the JVM and deletes its data: every test run would otherwise leave it in /tmp. */
  private static void stopAndDelete(AutoCloseable server, Path home) {
    try {
      server.close();
      PathUtils.deleteDirectory(home);
    } catch (Exception e) {
      System.err.printf("test home %s left behind: %s%n", home, e);
    }
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
