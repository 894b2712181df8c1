package io.ordermesh.infra.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker running inside this JVM in KRaft mode (one server that is both broker and the only
 * controller).
 *
 * <p>{@code ordermesh run} starts it on a directory under the Ordermesh home with fixed ports, so topics, records and
 * committed offsets survive a restart. Tests start it on a fresh temporary directory with port {@code 0} (free ports).
 * {@link #start} returns once the broker serves clients; {@link #close} shuts it down cleanly and waits.
 *
 * <p>While a broker runs, a fatal Kafka fault is logged and thrown in the failing Kafka thread instead of halting the
 * JVM, and the data directory is locked against a second broker.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration METADATA_POLL = Duration.ofMillis(20);
  private static final String ADMIN_CLIENT_ID = "ordermesh-embedded-kafka-admin";
  // Free ports are probed, then released and bound by Kafka; another process can grab one in between.
  private static final int FREE_PORT_ATTEMPTS = 3;

  /**
   * Where and on which ports the broker runs.
   *
   * @param dataDir        log directory; created if missing, formatted on first use and reused afterwards
   * @param port           client listener port, {@code 0} picks a free one
   * @param controllerPort KRaft controller listener port, {@code 0} picks a free one
   * @param relayedHost    null, or the host of a second client listener: it too is bound on loopback (on a free
   *                       port), but advertises {@code relayedHost:thatPort}, so clients that can only reach this
   *                       machine through a TCP relay on that host (a network namespace, say) bootstrap there and
   *                       are told to keep using it
   */
  public record KafkaSettings(Path dataDir, int port, int controllerPort, String relayedHost) {

    public KafkaSettings {
      Objects.requireNonNull(dataDir, "dataDir");
      requirePort(port, "port");
      requirePort(controllerPort, "controllerPort");
      if (port != 0 && port == controllerPort) {
        throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
      }
      if (relayedHost != null && relayedHost.isBlank()) {
        throw new IllegalArgumentException("relayedHost must be null or a host name or address, but was blank");
      }
    }

    /** Without a relayed listener. */
    public KafkaSettings(Path dataDir, int port, int controllerPort) {
      this(dataDir, port, controllerPort, null);
    }

    /** Settings for tests: the given directory and two free ports. */
    public static KafkaSettings withFreePorts(Path dataDir) {
      return new KafkaSettings(dataDir, 0, 0);
    }

    /** The same settings with a relayed listener advertised on {@code host}. */
    public KafkaSettings withRelayedListener(String host) {
      return new KafkaSettings(dataDir, port, controllerPort, host);
    }

    // Only then is a bind failure surely a lost race on a probed port rather than a fixed port in use.
    boolean picksAllPorts() {
      return port == 0 && controllerPort == 0;
    }

    private static void requirePort(int port, String name) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException(name + " must be within 0..65535, was " + port);
      }
    }
  }

  private final KafkaRaftServer server;
  private final Admin admin;
  private final DataDirLock dataDirLock;
  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final BrokerProperties.Relayed relayed;
  private final String clusterId;
  private boolean closed;

  private EmbeddedKafka(KafkaRaftServer server, Admin admin, DataDirLock dataDirLock, Path dataDir, int port,
      int controllerPort, BrokerProperties.Relayed relayed, String clusterId) {
    this.server = server;
    this.admin = admin;
    this.dataDirLock = dataDirLock;
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.relayed = relayed;
    this.clusterId = clusterId;
  }

  /**
   * Starts the broker and blocks until it accepts clients. Formats {@code dataDir} on first use only.
   *
   * @throws IllegalStateException if the broker does not start or does not become ready in time
   */
  public static EmbeddedKafka start(KafkaSettings settings) {
    long startNanos = System.nanoTime();
    Path dataDir = createDirectories(settings.dataDir().toAbsolutePath());
    DataDirLock dataDirLock = DataDirLock.acquire(dataDir);
    boolean cold = !KafkaStorage.isFormatted(dataDir);
    KafkaExitGuard.acquire();
    try {
      EmbeddedKafka kafka = startWithPortRetries(settings, dataDir, dataDirLock);
      log.info("Kafka ready at {} ({} start, {} ms, cluster {}, data {})", kafka.bootstrapServers(),
          cold ? "cold" : "warm", elapsedMillis(startNanos), kafka.clusterId, dataDir);
      return kafka;
    } catch (RuntimeException | Error e) {
      KafkaExitGuard.release();
      dataDirLock.close();
      throw e;
    }
  }

  /** The client listener, {@code "127.0.0.1:port"}. */
  public String bootstrapServers() {
    return BrokerProperties.HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  /**
   * The relayed listener's loopback port, where a relay on the advertised host must forward to; empty when
   * none was asked for.
   */
  public java.util.OptionalInt relayedPort() {
    return relayed == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(relayed.port());
  }

  /** What clients behind the relay bootstrap with, {@code "relayedHost:port"}; empty when there is no relay. */
  public java.util.Optional<String> relayedBootstrapServers() {
    return java.util.Optional.ofNullable(relayed).map(r -> r.host() + ":" + r.port());
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The cluster id chosen when the data directory was formatted; stable across restarts. */
  public String clusterId() {
    return clusterId;
  }

  /**
   * Creates the topics that do not exist yet, each with {@code partitions} partitions, and waits for the controller
   * to confirm. Existing topics are left as they are, even with a different partition count.
   */
  public synchronized void createTopics(Collection<String> names, int partitions) {
    ensureOpen();
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    List<NewTopic> topics = names.stream().distinct()
        .map(name -> new NewTopic(name, partitions, BrokerProperties.REPLICATION_FACTOR))
        .toList();
    Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
    List<String> created = new ArrayList<>();
    results.forEach((name, result) -> {
      if (awaitCreation(name, result)) {
        created.add(name);
      }
    });
    awaitVisible(results.keySet());
    log.info("Kafka topics created: {} (requested {}, {} partitions)", created, results.keySet(), partitions);
  }

  /**
   * The controller confirms a topic before the broker's metadata shows it: wait until the broker lists
   * every requested topic, so that a caller can use them the moment this returns.
   */
  private void awaitVisible(Collection<String> names) {
    long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
    while (!await(admin.listTopics().names(), "the topic list").containsAll(names)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka confirmed topics " + names + " but did not list them within "
            + CLIENT_TIMEOUT);
      }
      try {
        Thread.sleep(METADATA_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for Kafka to list " + names, e);
      }
    }
  }

  /** Shuts the broker down cleanly and waits for it; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long startNanos = System.nanoTime();
    try {
      admin.close(ADMIN_CLOSE_TIMEOUT);
      shutdown(server);
    } finally {
      KafkaExitGuard.release();
      dataDirLock.close();
    }
    log.info("Kafka at {} stopped in {} ms", bootstrapServers(), elapsedMillis(startNanos));
  }

  private static EmbeddedKafka startWithPortRetries(KafkaSettings settings, Path dataDir, DataDirLock dataDirLock) {
    int attempts = settings.picksAllPorts() ? FREE_PORT_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      int[] ports = resolvePorts(settings);
      BrokerProperties.Relayed relayed = settings.relayedHost() == null ? null
          : new BrokerProperties.Relayed(settings.relayedHost(), ports[2]);
      try {
        return startOnce(dataDir, dataDirLock, ports[0], ports[1], relayed);
      } catch (RuntimeException e) {
        if (attempt >= attempts || !isBindFailure(e)) {
          throw e;
        }
        log.warn("Kafka could not bind free ports {}, retrying with others", java.util.Arrays.toString(ports));
      }
    }
  }

  private static EmbeddedKafka startOnce(Path dataDir, DataDirLock dataDirLock, int port, int controllerPort,
      BrokerProperties.Relayed relayed) {
    Properties props = BrokerProperties.of(dataDir, port, controllerPort, relayed);
    if (!KafkaStorage.isFormatted(dataDir)) {
      KafkaStorage.format(dataDir, props);
    }
    String clusterId = KafkaStorage.clusterId(dataDir);
    KafkaRaftServer server = startServer(props);
    Admin admin = null;
    try {
      admin = Admin.create(adminConfig(port));
      awaitReady(admin);
      return new EmbeddedKafka(server, admin, dataDirLock, dataDir, port, controllerPort, relayed, clusterId);
    } catch (RuntimeException e) {
      if (admin != null) {
        admin.close(ADMIN_CLOSE_TIMEOUT);
      }
      shutdownAfterFailure(server, e);
      throw e;
    }
  }

  private static KafkaRaftServer startServer(Properties props) {
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    try {
      server.startup();
      return server;
    } catch (RuntimeException e) {
      // A failing broker cleans up after itself, but the already started controller keeps running.
      shutdownAfterFailure(server, e);
      throw e;
    }
  }

  private static void awaitReady(Admin admin) {
    Collection<Node> nodes = await(admin.describeCluster().nodes(), "the broker to answer describeCluster");
    if (nodes.isEmpty()) {
      throw new IllegalStateException("Kafka started but reports no broker in its cluster");
    }
  }

  /** Returns true if the topic was created, false if it already existed. */
  private static boolean awaitCreation(String topic, KafkaFuture<Void> result) {
    try {
      await(result, "topic " + topic + " to be created");
      return true;
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw e;
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka failed waiting for " + what, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka timed out after " + CLIENT_TIMEOUT + " waiting for " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for Kafka: " + what, e);
    }
  }

  private static void shutdown(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static void shutdownAfterFailure(KafkaRaftServer server, Exception failure) {
    try {
      shutdown(server);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static Map<String, Object> adminConfig(int port) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerProperties.HOST + ":" + port,
        AdminClientConfig.CLIENT_ID_CONFIG, ADMIN_CLIENT_ID,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
  }

  /** Client, controller and relayed listener ports (the last is 0 without a relayed listener). */
  private static int[] resolvePorts(KafkaSettings settings) {
    // Hold all probe sockets at once so the picks cannot collide.
    int relayedPort = settings.relayedHost() == null ? -1 : 0;
    try (ServerSocket client = openProbe(settings.port());
             ServerSocket controller = openProbe(settings.controllerPort());
             ServerSocket relayed = openProbe(relayedPort)) {
      return new int[] {portOf(client, settings.port()), portOf(controller, settings.controllerPort()),
          relayed == null ? 0 : relayed.getLocalPort()};
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find free ports for Kafka", e);
    }
  }

  /**
   * A bound socket on a free port when {@code port} is 0, otherwise null (fixed ports are Kafka's to bind; -1 means
   * no listener at all).
   */
  private static ServerSocket openProbe(int port) throws IOException {
    return port == 0 ? new ServerSocket(0, 1, InetAddress.getByName(BrokerProperties.HOST)) : null;
  }

  private static int portOf(ServerSocket probe, int configuredPort) {
    return probe == null ? configuredPort : probe.getLocalPort();
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The log directory holds every event the system ever produced, customers' details among them: its
   * owner's alone (PostgreSQL's data directory is, by initdb's rule; the broker runs in this process).
   */
  private static Path createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      return dir;
    } catch (UnsupportedOperationException notPosix) {
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Kafka data directory " + dir, e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Kafka at " + bootstrapServers() + " is closed");
    }
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
