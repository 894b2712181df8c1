package io.ordermesh.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Topics;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.bus.ServiceException;
import io.ordermesh.platform.config.OrdermeshConfig.KafkaConfig;
import io.ordermesh.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DLQ replays on real Kafka: one replay of a topic at a time, a second one refused while it runs; a
 * record that cannot be sent stops the replay there, and what was sent before it is done.
 */
class DeadLetterReplayTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  private static final int LARGE_LIMIT = 2_000_000;
  private final String topic = EventType.ORDER_CANCELLED.topic();
  private Vertx vertx;
  private KafkaProducer<String, String> producer;
  private DeadLetterReplay replay;
  private KafkaConfig kafka;
  private int sourceOffset;

  @BeforeEach
  void connect() {
    String bootstrap = PlatformTestInfra.kafka().bootstrapServers();
    PlatformTestInfra.kafka().createTopics(List.of(topic, Topics.dlqOf(topic)), 2);
    vertx = Vertx.vertx();
    kafka = new KafkaConfig(bootstrap, 1, 2);
    producer = KafkaProducer.<String, String>create(vertx, KafkaClients.producer(kafka, "dlq-replay-test"))
        .exceptionHandler(error -> { });
    replay = new DeadLetterReplay(vertx, kafka, producer, topic);
  }

  @AfterEach
  void close() {
    join(producer.close().eventually(vertx::close));
  }

  @Test
  void refusesASecondReplayOfTheTopicWhileOneRunsAndAllowsOneAfterIt() {
    // Even with nothing parked, a replay polls for a few seconds before it is sure the DLQ is drained.
    Future<JsonObject> first = replay.replay(10);
    Future<JsonObject> second = replay.replay(10);

    Throwable refused = join(second.transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(refused).isInstanceOf(ServiceException.class);
    assertThat(((ServiceException) refused).failure()).isEqualTo(Failure.CONFLICT);
    assertThat(join(first).getString("topic")).isEqualTo(topic);
    assertThat(join(replay.replay(10)).getString("topic")).as("the lock is released when a replay ends").isEqualTo(topic);
  }

  @Test
  void aRecordTheProducerRefusesStopsTheReplayThereAndTheRestWaitsForTheNextOne() throws Exception {
    String source = "replay-large-" + UUID.randomUUID().toString().substring(0, 8);
    // Topics and a second producer that take records over the first producer's 1 MiB request limit.
    Map<String, String> large = Map.of(MAX_MESSAGE_BYTES, Integer.toString(LARGE_LIMIT));
    Map<String, String> largeProducerConfig = new java.util.HashMap<>(KafkaClients.producer(kafka, "dlq-large"));
    largeProducerConfig.put("max.request.size", Integer.toString(LARGE_LIMIT));
    KafkaProducer<String, String> largeProducer = KafkaProducer.<String, String>create(vertx, largeProducerConfig)
        .exceptionHandler(error -> { });
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        PlatformTestInfra.kafka().bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(source, 1, (short) 1).configs(large),
          new NewTopic(Topics.dlqOf(source), 1, (short) 1).configs(large))).all().get();
      for (String value : List.of("small-1", "x".repeat(1_200_000), "small-3")) {
        join(largeProducer.send(parked(source, value)));
      }

      Throwable refused = join(new DeadLetterReplay(vertx, kafka, producer, source).replay(10)
          .transform(ar -> Future.succeededFuture(ar.cause())));

      assertThat(refused).as("the operator hears of it").isInstanceOf(RecordTooLargeException.class);
      assertThat(committed(admin, source)).as("done up to the refused record, not beyond").isEqualTo(1);
      assertThat(join(new DeadLetterReplay(vertx, kafka, largeProducer, source).replay(10)).getInteger("parked"))
          .as("the next replay starts at the refused record").isEqualTo(2);
      assertThat(committed(admin, source)).isEqualTo(3);
    } finally {
      join(largeProducer.close());
    }
  }

  @Test
  void skipsARecordParkedWithoutItsValueAndNamesWhereTheOriginalIs() throws Exception {
    String source = "replay-pointer-" + UUID.randomUUID().toString().substring(0, 8);
    PlatformTestInfra.kafka().createTopics(List.of(source, Topics.dlqOf(source)), 1);
    KafkaProducerRecord<String, String> pointer = parked(source, null);
    pointer.addHeader(EventHeaders.DLQ_VALUE_OMITTED, "1046000");
    join(producer.send(pointer));
    join(producer.send(parked(source, "small")));

    JsonObject answer = join(new DeadLetterReplay(vertx, kafka, producer, source).replay(10));

    assertThat(answer.getInteger("parked")).isEqualTo(2);
    assertThat(answer.getLong("replayed")).as("only the record with a value went back").isEqualTo(1);
    assertThat(answer.getJsonArray("skipped")).singleElement().satisfies(skipped -> {
      JsonObject s = (JsonObject) skipped;
      assertThat(s.getString("sourceTopic")).isEqualTo(source);
      assertThat(s.getString("bytes")).isEqualTo("1046000");
      assertThat(s.getString("sourceOffset")).isNotBlank();
    });
  }

  private KafkaProducerRecord<String, String> parked(String source, String value) {
    KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(Topics.dlqOf(source), "order-1", value);
    record.addHeader(EventHeaders.DLQ_SOURCE_PARTITION, "0");
    record.addHeader(EventHeaders.DLQ_SOURCE_OFFSET, Integer.toString(sourceOffset++));
    record.addHeader(EventHeaders.DLQ_REASON, "HANDLER_FAILED");
    return record;
  }

  private static long committed(Admin admin, String source) throws Exception {
    OffsetAndMetadata offset = admin.listConsumerGroupOffsets("ordermesh-dlq-replay-" + source)
        .partitionsToOffsetAndMetadata().get().get(new TopicPartition(Topics.dlqOf(source), 0));
    return offset == null ? 0 : offset.offset();
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
