package io.ordermesh.platform.kafka;

import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.KafkaConfig;
import java.util.HashMap;
import java.util.Map;

/** Kafka client settings the whole system agrees on. */
public final class KafkaClients {

  private static final String STRING_SERIALIZER = "org.apache.kafka.common.serialization.StringSerializer";
  private static final String STRING_DESERIALIZER = "org.apache.kafka.common.serialization.StringDeserializer";
  /** Records of one poll share the work of one loop turn; keep it bounded so a turn stays short. */
  private static final String MAX_POLL_RECORDS = "500";
  /**
   * No JMX MBeans for the clients' metrics: nothing here reads them over JMX, and registering some
   * hundred of them per client was a tenth of a second of every node's start (kafka-clients 3.x adds
   * the JMX reporter unless told not to; 4.x lists it in {@code metric.reporters}, emptied here too).
   */
  public static final Map<String, String> NO_JMX = Map.of(
      "auto.include.jmx.reporter", "false",
      "metric.reporters", "");

  private KafkaClients() {
  }

  /** An idempotent producer: no duplicates from its own retries, and order kept per partition. */
  public static Map<String, String> producer(KafkaConfig kafka, String clientId) {
    return withoutJmx(Map.of(
        "bootstrap.servers", kafka.bootstrapServers(),
        "client.id", clientId,
        "key.serializer", STRING_SERIALIZER,
        "value.serializer", STRING_SERIALIZER,
        "enable.idempotence", "true",
        "acks", "all",
        "max.in.flight.requests.per.connection", "5",
        "linger.ms", Integer.toString(kafka.lingerMs()),
        "delivery.timeout.ms", "30000",
        "request.timeout.ms", "10000"));
  }

  /**
   * Range assignment gives a consumer the same partition numbers of every topic it reads. One order's
   * events are keyed by its id on every topic (and the topics have the same partition count), so they
   * all reach one consumer of a group: its handlers may treat an order's rows as theirs alone, and lock
   * only the rows orders share (LockAhead). Range is the client's default today; it is named here
   * because the design depends on it.
   */
  private static final String RANGE_ASSIGNOR = "org.apache.kafka.clients.consumer.RangeAssignor";

  /** A consumer whose offsets are committed by hand, only after the effect's transaction committed. */
  public static Map<String, String> consumer(KafkaConfig kafka, String groupId, String clientId) {
    return withoutJmx(Map.ofEntries(
        Map.entry("bootstrap.servers", kafka.bootstrapServers()),
        Map.entry("group.id", groupId),
        Map.entry("client.id", clientId),
        Map.entry("key.deserializer", STRING_DESERIALIZER),
        Map.entry("value.deserializer", STRING_DESERIALIZER),
        Map.entry("enable.auto.commit", "false"),
        Map.entry("auto.offset.reset", "earliest"),
        Map.entry("max.poll.records", MAX_POLL_RECORDS),
        Map.entry("isolation.level", "read_committed"),
        Map.entry("session.timeout.ms", "10000"),
        // A consumer that stops polling (a hang) leaves its group after this long, and its partitions
        // go to the others: Kafka's default keeps them from everyone for five minutes. The loop polls
        // between batches, a batch is applied in seconds, and one cut short is delivered again.
        Map.entry("max.poll.interval.ms", Long.toString(Defaults.CONSUMER_MAX_POLL_INTERVAL.toMillis())),
        Map.entry("partition.assignment.strategy", RANGE_ASSIGNOR)));
  }

  private static Map<String, String> withoutJmx(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.putAll(NO_JMX);
    return Map.copyOf(all);
  }
}
