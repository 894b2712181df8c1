package io.ordermesh.launcher;

import io.ordermesh.events.Topics;
import io.ordermesh.infra.kafka.EmbeddedKafka;
import io.ordermesh.infra.kafka.EmbeddedKafka.KafkaSettings;
import io.ordermesh.infra.postgres.EmbeddedPostgres;
import io.ordermesh.infra.postgres.PostgresSettings;
import io.ordermesh.platform.config.Defaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL and Kafka of one home, started on the calling thread (blocking: the
 * launcher's main thread, never an event loop) and stopped in reverse order.
 */
public final class EmbeddedInfra implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfra.class);
  /** Where PostgreSQL data goes when the home is somewhere the unprivileged server user cannot enter. */
  private static final Path ROOT_FALLBACK = Path.of("/var/tmp");

  private final EmbeddedPostgres postgres;
  private final EmbeddedKafka kafka;

  private EmbeddedInfra(EmbeddedPostgres postgres, EmbeddedKafka kafka) {
    this.postgres = postgres;
    this.kafka = kafka;
  }

  /** Ports of the embedded servers; 0 picks free ones (tests). */
  public record Ports(int postgres, int kafka, int kafkaController) {
    public static final Ports DEFAULT = new Ports(Defaults.EMBEDDED_PG_PORT, Defaults.EMBEDDED_KAFKA_PORT,
        Defaults.EMBEDDED_KAFKA_CONTROLLER_PORT);
    public static final Ports FREE = new Ports(0, 0, 0);
  }

  public static EmbeddedInfra start(Home home, Ports ports, boolean withPostgres, boolean withKafka, int partitions) {
    return start(home, ports, withPostgres, withKafka, partitions, null);
  }

  /**
   * Like {@link #start(Home, Ports, boolean, boolean, int)}, with a second Kafka listener advertised on
   * {@code kafkaRelayedHost} (null for none): for clients that reach this machine only through a TCP relay
   * on that host, such as nodes in network namespaces in tests.
   */
  public static EmbeddedInfra start(Home home, Ports ports, boolean withPostgres, boolean withKafka, int partitions,
      String kafkaRelayedHost) {
    home.create();
    EmbeddedPostgres pg = null;
    EmbeddedKafka kafka = null;
    try {
      if (withPostgres) {
        pg = EmbeddedPostgres.start(new PostgresSettings(postgresRoot(home), ports.postgres(),
            Defaults.EMBEDDED_PG_DATABASE, Defaults.EMBEDDED_PG_USER, home.postgresPassword()));
      }
      if (withKafka) {
        kafka = EmbeddedKafka.start(new KafkaSettings(home.kafkaDir(), ports.kafka(), ports.kafkaController(),
            kafkaRelayedHost));
        kafka.createTopics(Topics.all(), partitions);
      }
      return new EmbeddedInfra(pg, kafka);
    } catch (RuntimeException e) {
      new EmbeddedInfra(pg, kafka).close();
      throw e;
    }
  }

  public Optional<String> postgresUri() {
    return Optional.ofNullable(postgres).map(EmbeddedPostgres::uri);
  }

  /** The embedded PostgreSQL's Unix socket directory, for the pools of a node on this machine. */
  public Optional<String> postgresSocketDirectory() {
    return Optional.ofNullable(postgres).flatMap(EmbeddedPostgres::socketDirectory).map(java.nio.file.Path::toString);
  }

  public Optional<String> kafkaBootstrap() {
    return Optional.ofNullable(kafka).map(EmbeddedKafka::bootstrapServers);
  }

  /** The loopback port of the relayed Kafka listener, which a relay on its advertised host forwards to. */
  public java.util.OptionalInt kafkaRelayedPort() {
    return kafka == null ? java.util.OptionalInt.empty() : kafka.relayedPort();
  }

  /**
   * The caller's shutdown hook closes this infrastructure after the node has stopped; PostgreSQL's own
   * hook, which would stop it at the same moment as the node's drain begins, is removed.
   */
  public void leaveShutdownToOwner() {
    if (postgres != null) {
      postgres.leaveShutdownToOwner();
    }
  }

  @Override
  public void close() {
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /**
   * PostgreSQL refuses to run as root, so as root it runs as an unprivileged user, which must be able
   * to reach its data directory. A home under a private directory (such as /root) cannot work; the data
   * then lives under /var/tmp in a folder named after the home, so the same home finds it again.
   */
  static Path postgresRoot(Home home) {
    Path preferred = home.postgresDir();
    if (!isRoot() || traversableByOthers(home.dir())) {
      return preferred;
    }
    Path fallback = ROOT_FALLBACK.resolve("ordermesh-postgres-" + shortHash(home.dir().toString()));
    LOG.warn("{} is not reachable by the unprivileged PostgreSQL user; keeping PostgreSQL data in {}", home.dir(),
        fallback);
    return fallback;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean traversableByOthers(Path dir) {
    try {
      for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
        if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
