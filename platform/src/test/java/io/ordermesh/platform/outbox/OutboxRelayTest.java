package io.ordermesh.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.KafkaConfig;
import io.ordermesh.platform.config.OrdermeshConfig.OutboxConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.inbox.PlatformTestInfra;
import io.ordermesh.platform.kafka.KafkaClients;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox relay on real PostgreSQL and Kafka: what Kafka refuses for good holds nothing back. */
class OutboxRelayTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final OutboxConfig CONFIG = new OutboxConfig(Duration.ofMillis(50), 100, Duration.ofMillis(200));
  private static final String APPEND = """
      INSERT INTO outbox (event_id, topic, record_key, event_type, event_version, correlation_id, payload)
      VALUES ($1, $2, $3, 'test.event', 1, $4, $5)""";
  /** Over the producer's max.request.size (1 MiB by default): refused before it leaves the client. */
  private static final int TOO_LARGE = 1_200_000;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String topic = "outbox-relay-test-" + run;
  private Vertx vertx;
  private Database db;
  private KafkaProducer<String, String> producer;
  private OutboxRelay relay;

  @BeforeEach
  void connect() {
    PlatformTestInfra.kafka().createTopics(List.of(topic), 1);
    vertx = Vertx.vertx();
    producer = KafkaProducer.<String, String>create(vertx,
        KafkaClients.producer(new KafkaConfig(PlatformTestInfra.kafka().bootstrapServers(), 1, 1), "relay-" + run))
        .exceptionHandler(error -> { });
    db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), "relay_test_" + run, 2);
    join(db.migrate("db/inboxtest"));
  }

  @AfterEach
  void close() {
    if (relay != null) {
      join(relay.stop());
    }
    // One at a time: a chain ending in vertx.close() would complete on an event loop it has just closed.
    join(producer.close());
    join(db.close());
    join(vertx.close());
  }

  @Test
  void movesARecordKafkaRefusesForGoodAsideAndPublishesTheEventsBehindIt() {
    UUID before = append("order-1", "{\"n\":1}");
    UUID tooLarge = append("order-1", "{\"pad\":\"" + "x".repeat(TOO_LARGE) + "\"}");
    UUID after = append("order-1", "{\"n\":3}");

    relay = new OutboxRelay(vertx, db, producer, CONFIG);
    join(relay.start());

    await().atMost(WAIT).until(() -> count("SELECT count(*) FROM outbox") == 0);
    Row refused = join(db.pool().query("SELECT event_id, reason, correlation_id FROM outbox_refused").execute())
        .iterator().next();
    assertThat(refused.getUUID("event_id")).isEqualTo(tooLarge);
    assertThat(refused.getString("reason")).startsWith("RecordTooLargeException");
    assertThat(refused.getString("correlation_id")).as("kept for the operator's search").isEqualTo("corr-" + tooLarge);
    assertThat(publishedEventIds(2)).as("the events behind it, in order").containsExactly(before, after);
    assertThat(Metrics.registry().get("ordermesh.outbox.refused").tag("schema", db.schema()).counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void refusesAnEventThatWouldLeaveNoRoomForTheHeadersOfItsDlqCopy() {
    // Under Kafka's 1 MiB, so Kafka would take it; but a consumer that had to park it could not.
    UUID nearTheLimit = append("order-1", "{\"pad\":\"" + "x".repeat(Defaults.MAX_EVENT_BYTES) + "\"}");
    UUID after = append("order-1", "{\"n\":2}");

    relay = new OutboxRelay(vertx, db, producer, CONFIG);
    join(relay.start());

    await().atMost(WAIT).until(() -> count("SELECT count(*) FROM outbox") == 0);
    Row refused = join(db.pool().query("SELECT event_id, reason FROM outbox_refused").execute()).iterator().next();
    assertThat(refused.getUUID("event_id")).isEqualTo(nearTheLimit);
    assertThat(refused.getString("reason")).startsWith("RecordTooLargeException").contains("DLQ copy");
    assertThat(publishedEventIds(1)).containsExactly(after);
  }

  /** A leader stuck in its batch leaves rows waiting: every node sees them, and who leads. */
  @Test
  void aStandbyReportsTheBacklogALeaderLeavesAndTheLeaderThatItLeads() {
    append("order-1", "{\"n\":1}");
    append("order-2", "{\"n\":2}");
    relay = new OutboxRelay(vertx, db, producer, CONFIG, ids -> Promise.<Void>promise().future());
    join(relay.start());
    OutboxRelay standby = new OutboxRelay(vertx, db, producer, CONFIG);
    try {
      join(standby.start());

      await().atMost(WAIT).until(() -> standby.backlogSeen() == 2);
      assertThat(standby.isLeader()).isFalse();
      assertThat(Metrics.registry().get("ordermesh.outbox.relay.active").tag("schema", db.schema()).gauge().value())
          .as("the leader's gauge").isEqualTo(1.0);
    } finally {
      join(standby.stop());
      // Its batch never ends: stopping would wait out the batch deadline.
      join(relay.abort());
      relay = null;
    }
  }

  private UUID append(String key, String payload) {
    UUID eventId = UUID.randomUUID();
    join(db.pool().preparedQuery(APPEND).execute(Tuple.of(eventId, topic, key, "corr-" + eventId, payload)));
    return eventId;
  }

  private long count(String query) {
    return join(db.pool().query(query).execute()).iterator().next().getLong(0);
  }

  /**
   * The event ids (by their correlation ids) of the topic's records: read until {@code expected} came,
   * then until three polls in a row bring nothing, so that an extra record is seen too.
   */
  private List<UUID> publishedEventIds(int expected) {
    Properties props = new Properties();
    props.putAll(Map.of("bootstrap.servers", PlatformTestInfra.kafka().bootstrapServers(),
        "group.id", "relay-test-reader-" + run, "auto.offset.reset", "earliest"));
    List<UUID> ids = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      int quietPolls = 0;
      while (quietPolls < 3 && System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, String> record : records) {
          String correlationId = new String(record.headers().lastHeader(EventHeaders.CORRELATION_ID).value(),
              StandardCharsets.UTF_8);
          ids.add(UUID.fromString(correlationId.substring("corr-".length())));
        }
        quietPolls = records.isEmpty() && ids.size() >= expected ? quietPolls + 1 : 0;
      }
    }
    return ids;
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
