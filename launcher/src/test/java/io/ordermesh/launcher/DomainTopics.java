package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads back what the saga published on orders.v1, inventory.v1 and customers.v1, with a plain Kafka client. */
final class DomainTopics {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);

  private DomainTopics() {
  }

  /** Every record keyed by one of these orders, from the beginning of each topic up to its current end. */
  static List<ConsumerRecord<String, String>> recordsOf(Set<String> orderIds) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", TestInfra.shared().kafkaBootstrap().orElseThrow(),
        "group.id", "domain-reader-" + UUID.randomUUID(),
        "enable.auto.commit", "false"), new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = Topics.DOMAIN.stream()
          .flatMap(t -> consumer.partitionsFor(t).stream())
          .map(p -> new TopicPartition(p.topic(), p.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, String>> found = new ArrayList<>();
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read the domain topics to their end in time").isLessThan(deadline);
        consumer.poll(POLL).forEach(r -> {
          if (orderIds.contains(r.key())) {
            found.add(r);
          }
        });
      }
      return found;
    }
  }

  static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
