package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventType;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.Topics;
import io.ordermesh.events.order.OrderPlaced;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.inbox.DeadLetters;
import io.ordermesh.platform.inbox.EventHandler;
import io.ordermesh.platform.inbox.IdempotentConsumer;
import io.ordermesh.platform.inbox.IdempotentConsumer.OffsetCommitGate;
import io.ordermesh.platform.kafka.KafkaClients;
import io.ordermesh.platform.outbox.Outbox;
import io.ordermesh.platform.outbox.OutboxRelay;
import io.ordermesh.platform.outbox.OutboxRelay.SendGate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A participant that dies at the worst moments changes nothing twice: after its transaction
 * committed but before its offsets did (the record comes again, the inbox drops it), and a relay
 * after Kafka took the batch but before it deleted it (the batch is published again, consumers drop
 * the copies). "Dies" is {@code abort()}: connections and the Kafka client close without another
 * word, which is what PostgreSQL and Kafka see of a killed process.
 */
class CrashRecoveryIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String INCREMENT = """
      INSERT INTO applied (order_id, times) VALUES ($1, 1)
      ON CONFLICT (order_id) DO UPDATE SET times = applied.times + 1""";

  private final UUID orderId = UUID.randomUUID();
  private Vertx vertx;
  private Database db;
  private OrdermeshConfig config;
  private KafkaProducer<String, String> producer;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    config = TestNodes.shared();
    db = Database.connect(vertx, config.postgres().uri(), "crash_" + UUID.randomUUID().toString().substring(0, 8), 4);
    TestNodes.join(db.migrate("db/crashtest"));
    producer = KafkaProducer.create(vertx, KafkaClients.producer(config.kafka(), "crash-test"));
  }

  @AfterEach
  void tearDown() {
    TestNodes.join(producer.close().eventually(db::close));
    vertx.close();
  }

  @Test
  void aConsumerKilledAfterItsCommitAndBeforeItsOffsetCommitDoesNotApplyTheEffectTwice() {
    String group = "crash-consumer-" + UUID.randomUUID();
    var published = publish(placedEvent());
    long offset = published.getOffset();
    int partition = published.getPartition();
    Promise<Void> neverCommits = Promise.promise();
    // Dies at the commit of the batch that holds our record, after that batch's transactions committed.
    OffsetCommitGate crashBeforeOurOffset = offsets -> offsets.entrySet().stream().anyMatch(e ->
        e.getKey().getTopic().equals(Topics.ORDERS) && e.getKey().getPartition() == partition
            && e.getValue().getOffset() > offset)
        ? neverCommits.future() : Future.succeededFuture();

    IdempotentConsumer first = consumer(group, crashBeforeOurOffset);
    TestNodes.join(first.start());
    await().atMost(TIMEOUT).until(() -> timesApplied() == 1);
    TestNodes.join(first.abort());

    IdempotentConsumer second = consumer(group, OffsetCommitGate.OPEN);
    TestNodes.join(second.start());
    await().atMost(TIMEOUT).until(() -> second.duplicatesSkipped() >= 1);
    TestNodes.join(second.stop());

    assertThat(timesApplied()).isEqualTo(1);
  }

  @Test
  void aRelayKilledAfterSendingAndBeforeDeletingLeadsToACopyThatConsumersDrop() {
    EventEnvelope event = placedEvent();
    TestNodes.join(db.pool().withTransaction(tx -> Outbox.append(tx, event)));
    AtomicInteger sentBatches = new AtomicInteger();
    OutboxRelay crashing = relay(ids -> {
      sentBatches.incrementAndGet();
      return Promise.<Void>promise().future();
    });
    TestNodes.join(crashing.start());
    await().atMost(TIMEOUT).until(() -> sentBatches.get() >= 1);
    TestNodes.join(crashing.abort());

    OutboxRelay standby = relay(SendGate.OPEN);
    TestNodes.join(standby.start());
    await().atMost(TIMEOUT).until(() -> outboxRows() == 0);
    assertThat(copiesOnKafka(event.eventId())).isEqualTo(2);

    IdempotentConsumer downstream = consumer("crash-relay-" + UUID.randomUUID(), OffsetCommitGate.OPEN);
    TestNodes.join(downstream.start());
    await().atMost(TIMEOUT).until(() -> downstream.duplicatesSkipped() >= 1 && timesApplied() == 1);
    TestNodes.join(downstream.stop().compose(v -> standby.stop()));
    assertThat(timesApplied()).isEqualTo(1);
  }

  @Test
  void aRelayWhoseBatchHangsGivesItsLockUpAndAStandbyPublishes() {
    EventEnvelope event = placedEvent();
    TestNodes.join(db.pool().withTransaction(tx -> Outbox.append(tx, event)));
    AtomicInteger hungBatches = new AtomicInteger();
    // Sends, then never finishes its batch: a delete stuck on a connection whose path broke.
    OutboxRelay hanging = relay(ids -> {
      hungBatches.incrementAndGet();
      return Promise.<Void>promise().future();
    }, Duration.ofSeconds(1));
    TestNodes.join(hanging.start());
    await().atMost(TIMEOUT).until(() -> hungBatches.get() >= 1);
    OutboxRelay standby = relay(SendGate.OPEN);
    TestNodes.join(standby.start());

    await().atMost(TIMEOUT).until(() -> outboxRows() == 0);
    assertThat(standby.isLeader()).isTrue();
    assertThat(hanging.isLeader()).isFalse();
    TestNodes.join(hanging.stop().compose(v -> standby.stop()));
  }

  /**
   * One node, and a database stall long enough to hang a batch: there is no standby, so the relay
   * that gave its lock up must lead again soon, not sit out another deadline while sagas time out.
   */
  @Test
  void aRelayWhoseBatchHungLeadsAgainSoonWhenNoStandbyTakesOver() {
    EventEnvelope event = placedEvent();
    TestNodes.join(db.pool().withTransaction(tx -> Outbox.append(tx, event)));
    AtomicInteger batches = new AtomicInteger();
    Duration deadline = Duration.ofSeconds(6);
    OutboxRelay alone = relay(ids -> batches.incrementAndGet() == 1
        ? Promise.<Void>promise().future()
        : Future.succeededFuture(), deadline);
    TestNodes.join(alone.start());
    await().atMost(TIMEOUT).until(() -> batches.get() >= 1);

    // The old relay sat out a second deadline (published after 12 s); now it is the deadline and a moment.
    await().atMost(deadline.plusSeconds(4)).until(() -> outboxRows() == 0);
    assertThat(alone.isLeader()).isTrue();
    TestNodes.join(alone.stop());
  }

  /**
   * A frozen node (stopped, swapped out, a paused VM) still answers TCP keepalives from its kernel, so its
   * relay's session, and the schema's lock, would outlive it for as long as it stays frozen.
   */
  @Test
  void aFrozenLeadersLockIsFreedForAStandby() throws Exception {
    Vertx frozenNode = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    java.util.concurrent.CountDownLatch thaw = new java.util.concurrent.CountDownLatch(1);
    try {
      OutboxRelay frozen = new OutboxRelay(frozenNode, db, producer, new OrdermeshConfig.OutboxConfig(
          Duration.ofMillis(100), Defaults.OUTBOX_BATCH_SIZE, Duration.ofMillis(100)));
      TestNodes.join(frozen.start());
      await().atMost(TIMEOUT).until(frozen::isLeader);
      frozenNode.getOrCreateContext().runOnContext(v -> {
        try {
          thaw.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      EventEnvelope event = placedEvent();
      TestNodes.join(db.pool().withTransaction(tx -> Outbox.append(tx, event)));
      OutboxRelay standby = relay(SendGate.OPEN);
      TestNodes.join(standby.start());

      // Frozen for as long as the test waits: only a standby can publish it.
      await().atMost(TIMEOUT).until(() -> outboxRows() == 0);
      assertThat(standby.isLeader()).isTrue();
      TestNodes.join(standby.stop());
    } finally {
      thaw.countDown();
      frozenNode.close().await();
    }
  }

  private IdempotentConsumer consumer(String group, OffsetCommitGate gate) {
    EventHandler countOurs = (tx, event) -> !event.aggregateId().equals(orderId.toString())
        ? Future.succeededFuture()
        : tx.preparedQuery(INCREMENT).execute(Tuple.of(orderId)).mapEmpty();
    return new IdempotentConsumer(vertx, db, group,
        KafkaConsumer.create(vertx, KafkaClients.consumer(config.kafka(), group, group)),
        Map.of(EventType.ORDER_PLACED, countOurs), new DeadLetters(producer), config.consumer(), gate);
  }

  private OutboxRelay relay(SendGate gate) {
    return relay(gate, Defaults.OUTBOX_BATCH_DEADLINE);
  }

  private OutboxRelay relay(SendGate gate, Duration batchDeadline) {
    return new OutboxRelay(vertx, db, producer, new OrdermeshConfig.OutboxConfig(Duration.ofMillis(100),
        Defaults.OUTBOX_BATCH_SIZE, Duration.ofMillis(100)), gate, batchDeadline);
  }

  private EventEnvelope placedEvent() {
    return EventEnvelope.wrap(new OrderPlaced(orderId, "crash-test", List.of(new OrderLine("SKU-1", 1))), "test",
        "crash-" + orderId, null);
  }

  private io.vertx.kafka.client.producer.RecordMetadata publish(EventEnvelope event) {
    var record = io.vertx.kafka.client.producer.KafkaProducerRecord.create(Topics.ORDERS, event.aggregateId(),
        event.toJson().encode());
    record.addHeader(EventHeaders.TYPE, event.type().wireName());
    return TestNodes.join(producer.send(record));
  }

  private int timesApplied() {
    return TestNodes.join(db.pool().preparedQuery("SELECT times FROM applied WHERE order_id = $1")
        .execute(Tuple.of(orderId)).map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger("times")));
  }

  private long outboxRows() {
    return TestNodes.join(db.pool().query("SELECT count(*) AS n FROM outbox").execute()
        .map(rows -> rows.iterator().next().getLong("n")));
  }

  private int copiesOnKafka(UUID eventId) {
    AtomicInteger copies = new AtomicInteger();
    try (var reader = new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.<String, Object>of(
        "bootstrap.servers", config.kafka().bootstrapServers(), "group.id", "copies-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
      reader.subscribe(List.of(Topics.ORDERS));
      await().atMost(TIMEOUT).until(() -> {
        ConsumerRecords<String, String> records = reader.poll(Duration.ofMillis(300));
        records.forEach(r -> {
          if (orderId.toString().equals(r.key()) && r.value().contains(eventId.toString())) {
            copies.incrementAndGet();
          }
        });
        return copies.get() >= 2 && records.isEmpty();
      });
    }
    return copies.get();
  }

}
