package io.ordermesh.platform.kafka;

import io.ordermesh.platform.config.OrdermeshConfig.KafkaConfig;
import java.util.Map;

/** Kafka client settings the whole system agrees on. */
public final class KafkaClients {

  private static final String STRING_SERIALIZER = "org.apache.kafka.common.serialization.StringSerializer";
  private static final String STRING_DESERIALIZER = "org.apache.kafka.common.serialization.StringDeserializer";
  /** Records of one poll share the work of one loop turn; keep it bounded so a turn stays short. */
  private static final String MAX_POLL_RECORDS = "500";

  private KafkaClients() {
  }

  /** An idempotent producer: no duplicates from its own retries, and order kept per partition. */
  public static Map<String, String> producer(KafkaConfig kafka, String clientId) {
    return Map.of(
        "bootstrap.servers", kafka.bootstrapServers(),
        "client.id", clientId,
        "key.serializer", STRING_SERIALIZER,
        "value.serializer", STRING_SERIALIZER,
        "enable.idempotence", "true",
        "acks", "all",
        "max.in.flight.requests.per.connection", "5",
        "linger.ms", Integer.toString(kafka.lingerMs()),
        "delivery.timeout.ms", "30000",
        "request.timeout.ms", "10000");
  }

  /** A consumer whose offsets are committed by hand, only after the effect's transaction committed. */
  public static Map<String, String> consumer(KafkaConfig kafka, String groupId, String clientId) {
    return Map.of(
        "bootstrap.servers", kafka.bootstrapServers(),
        "group.id", groupId,
        "client.id", clientId,
        "key.deserializer", STRING_DESERIALIZER,
        "value.deserializer", STRING_DESERIALIZER,
        "enable.auto.commit", "false",
        "auto.offset.reset", "earliest",
        "max.poll.records", MAX_POLL_RECORDS,
        "isolation.level", "read_committed",
        "session.timeout.ms", "10000");
  }
}
