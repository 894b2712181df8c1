package io.ordermesh.infra.kafka;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Server properties of the single-node KRaft broker: one process that is both broker and the only controller voter.
 */
final class BrokerProperties {

  static final String HOST = "127.0.0.1";
  static final int NODE_ID = 1;
  static final short REPLICATION_FACTOR = 1;

  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String RELAYED_LISTENER = "RELAYED";
  private static final int DEFAULT_PARTITIONS = 4;
  // One partition is plenty for a handful of consumer groups and makes the first group join fast
  // (the broker default of 50 means creating 50 logs on the first join).
  private static final int OFFSETS_TOPIC_PARTITIONS = 1;
  private static final int TRANSACTION_TOPIC_PARTITIONS = 1;
  // The default dedupe buffer (128 MiB) is allocated on the heap up front; Kafka requires more than 1 MiB per thread.
  private static final long CLEANER_DEDUPE_BUFFER_BYTES = 2L * 1024 * 1024;
  // Fail the start instead of hanging forever (the Kafka default) if the broker never gets unfenced.
  private static final long MAX_STARTUP_MS = 60_000;
  // Minutes; Kafka keeps offsets of an empty group for 7 days. A local install left alone for a week must not
  // forget its consumer positions, so keep them (almost) forever, like the records.
  private static final int OFFSETS_RETENTION_MINUTES = Integer.MAX_VALUE;
  private static final String RETAIN_FOREVER = "-1";

  /** A second client listener bound on loopback {@code port} that advertises {@code host:port}. */
  record Relayed(String host, int port) {
  }

  private BrokerProperties() {
  }

  static Properties of(Path dataDir, int port, int controllerPort) {
    return of(dataDir, port, controllerPort, null);
  }

  static Properties of(Path dataDir, int port, int controllerPort, Relayed relayed) {
    Properties props = new Properties();
    putRoles(props, controllerPort);
    putListeners(props, port, controllerPort);
    if (relayed != null) {
      putRelayedListener(props, port, relayed);
    }
    putStorage(props, dataDir);
    putSingleNodeReplication(props);
    putGroupsAndTopics(props);
    putThreads(props, Runtime.getRuntime().availableProcessors());
    props.put("server.max.startup.time.ms", Long.toString(MAX_STARTUP_MS));
    return props;
  }

  private static void putRoles(Properties props, int controllerPort) {
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
  }

  private static void putListeners(Properties props, int port, int controllerPort) {
    props.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + ","
        + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
    props.put("listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", BROKER_LISTENER);
  }

  /**
   * A client connected to a listener is told the brokers' addresses on that same listener, so clients that came
   * through the relay are sent back to it, and local clients keep the plain loopback one.
   */
  private static void putRelayedListener(Properties props, int port, Relayed relayed) {
    props.put("listeners", props.getProperty("listeners") + "," + RELAYED_LISTENER + "://" + HOST + ":" + relayed.port());
    props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port + ","
        + RELAYED_LISTENER + "://" + relayed.host() + ":" + relayed.port());
    props.put("listener.security.protocol.map",
        props.getProperty("listener.security.protocol.map") + "," + RELAYED_LISTENER + ":PLAINTEXT");
  }

  private static void putStorage(Properties props, Path dataDir) {
    props.put("log.dirs", dataDir.toString());
    // `ordermesh run` promises that a restart keeps every record: no time-based deletion
    // (the default deletes segments older than 7 days).
    props.put("log.retention.ms", RETAIN_FOREVER);
    props.put("log.cleaner.dedupe.buffer.size", Long.toString(CLEANER_DEDUPE_BUFFER_BYTES));
  }

  private static void putSingleNodeReplication(Properties props) {
    String one = Short.toString(REPLICATION_FACTOR);
    props.put("default.replication.factor", one);
    props.put("min.insync.replicas", one);
    props.put("offsets.topic.replication.factor", one);
    props.put("transaction.state.log.replication.factor", one);
    props.put("transaction.state.log.min.isr", one);
  }

  /**
   * Kafka's thread defaults (8 request handlers, 3 network threads, 10 background threads) are for a
   * broker with a machine of its own; this one shares the box with the nodes and PostgreSQL, so it gets
   * a request handler and a background thread per core (two at least) and a network thread per two
   * cores, never more than the defaults. On two cores at 500 sagas/s, two 60-second A/B pairs: saga
   * p99 2.2 / 2.8 s with the defaults, 1.7 / 0.8 s with these, the node's CPU a little lower (full
   * five-minute runs move too much to show it either way).
   */
  static void putThreads(Properties props, int cores) {
    props.put("num.io.threads", Integer.toString(within(cores, 2, 8)));
    props.put("num.network.threads", Integer.toString(within(cores / 2, 1, 3)));
    props.put("background.threads", Integer.toString(within(cores, 2, 10)));
  }

  private static int within(int value, int least, int most) {
    return Math.max(least, Math.min(most, value));
  }

  private static void putGroupsAndTopics(Properties props) {
    props.put("num.partitions", Integer.toString(DEFAULT_PARTITIONS));
    // Topics are created explicitly; a typo in a topic name must fail loudly, not create a new topic.
    props.put("auto.create.topics.enable", "false");
    props.put("offsets.topic.num.partitions", Integer.toString(OFFSETS_TOPIC_PARTITIONS));
    props.put("offsets.retention.minutes", Integer.toString(OFFSETS_RETENTION_MINUTES));
    props.put("transaction.state.log.num.partitions", Integer.toString(TRANSACTION_TOPIC_PARTITIONS));
    // With one member per group in dev and tests, waiting for more members only slows the first poll.
    props.put("group.initial.rebalance.delay.ms", "0");
  }
}
