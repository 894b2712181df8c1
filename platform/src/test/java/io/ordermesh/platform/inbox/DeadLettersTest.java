package io.ordermesh.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.Topics;
import io.ordermesh.platform.config.OrdermeshConfig.KafkaConfig;
import io.ordermesh.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordImpl;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * What a parked record says of its error: all of it, up to a size that cannot keep it from being
 * parked. And a record that filled its topic's size limit, too large for the DLQ once its headers are
 * added, is parked without its value, pointing at the original, rather than holding its partition up.
 */
class DeadLettersTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Under the broker's 1 MiB limit by less than a DLQ copy's headers take. */
  private static final int AT_THE_LIMIT = 1_046_000;

  @Test
  void keepsAnErrorWholeUpToTheLimitAndCutsWhatGoesBeyond() {
    String atTheLimit = "e".repeat(DeadLetters.MAX_ERROR_CHARS);
    String validatorFlood = ": property 'k' is not defined in the schema; ".repeat(30_000);

    assertThat(DeadLetters.bounded(atTheLimit)).isEqualTo(atTheLimit);
    assertThat(DeadLetters.bounded(validatorFlood)).startsWith(": property 'k'").endsWith("(cut)")
        .hasSizeLessThan(DeadLetters.MAX_ERROR_CHARS + 16);
    assertThat(DeadLetters.bounded(null)).isEmpty();
  }

  @Test
  void parksARecordTooLargeForItsHeadersWithoutItsValueAndSaysWhereTheOriginalIs() throws Exception {
    String topic = "dead-letters-test-" + UUID.randomUUID().toString().substring(0, 8);
    PlatformTestInfra.kafka().createTopics(List.of(topic, Topics.dlqOf(topic)), 1);
    Vertx vertx = Vertx.vertx();
    KafkaProducer<String, String> producer = KafkaProducer.<String, String>create(vertx,
        KafkaClients.producer(new KafkaConfig(PlatformTestInfra.kafka().bootstrapServers(), 1, 1), "dlq-" + topic))
        .exceptionHandler(error -> { });
    try {
      DeadLetters deadLetters = new DeadLetters(producer);
      KafkaConsumerRecord<String, String> small = record(topic, 7, "{not json");
      KafkaConsumerRecord<String, String> huge = record(topic, 8, "x".repeat(AT_THE_LIMIT));

      join(deadLetters.park(small, "inventory", "MALFORMED", "e".repeat(DeadLetters.MAX_ERROR_CHARS)));
      join(deadLetters.park(huge, "inventory", "MALFORMED", "e".repeat(DeadLetters.MAX_ERROR_CHARS)));

      List<ConsumerRecord<String, String>> parked = read(Topics.dlqOf(topic), 2);
      assertThat(parked.get(0).value()).isEqualTo("{not json");
      assertThat(header(parked.get(0), EventHeaders.DLQ_VALUE_OMITTED)).isNull();
      assertThat(parked.get(1).value()).isNull();
      assertThat(header(parked.get(1), EventHeaders.DLQ_VALUE_OMITTED)).isEqualTo(Integer.toString(AT_THE_LIMIT));
      assertThat(header(parked.get(1), EventHeaders.DLQ_SOURCE_TOPIC)).isEqualTo(topic);
      assertThat(header(parked.get(1), EventHeaders.DLQ_SOURCE_OFFSET)).isEqualTo("8");
      assertThat(header(parked.get(1), EventHeaders.DLQ_REASON)).isEqualTo("MALFORMED");
    } finally {
      join(producer.close());
      join(vertx.close());
    }
  }

  private static KafkaConsumerRecord<String, String> record(String topic, long offset, String value) {
    return new KafkaConsumerRecordImpl<>(new ConsumerRecord<>(topic, 0, offset, "order-1", value));
  }

  private static List<ConsumerRecord<String, String>> read(String topic, int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", PlatformTestInfra.kafka().bootstrapServers(), "group.id", "read-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertThat(records).hasSize(count);
    return records;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}
