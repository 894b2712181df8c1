package io.ordermesh.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Topics;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.platform.config.OrdermeshConfig.ConsumerConfig;
import io.ordermesh.platform.config.OrdermeshConfig.KafkaConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox consumer on real PostgreSQL and Kafka: a poll's records are applied together, yet one
 * record that keeps failing, or that is not an event at all, costs only itself: the rest of its batch
 * is applied once, it is parked on the DLQ with the reason, and redelivery changes nothing.
 */
class IdempotentConsumerTest {

  private static final int EVENTS = 40;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CONNECTIONS_CUT = 6;
  private static final ConsumerConfig CONFIG =
      new ConsumerConfig(Duration.ofMillis(100), 2, Duration.ofMillis(10));
  private static final String INSERT_APPLIED = "INSERT INTO applied (event_id, order_id) VALUES ($1, $2)";

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String topic = EventType.ORDER_CANCELLED.topic();
  private final List<IdempotentConsumer> consumers = new ArrayList<>();
  private final Map<String, UUID> namedOrders = new HashMap<>();
  private Vertx vertx;
  private Database db;
  private KafkaConfig kafkaConfig;
  private KafkaProducer<String, String> producer;

  @BeforeEach
  void connect() {
    String bootstrap = PlatformTestInfra.kafka().bootstrapServers();
    PlatformTestInfra.kafka().createTopics(List.of(topic, Topics.dlqOf(topic)), 2);
    truncate(bootstrap, List.of(topic, Topics.dlqOf(topic)));
    vertx = Vertx.vertx();
    kafkaConfig = new KafkaConfig(bootstrap, 1, 2);
    producer = KafkaProducer.create(vertx, KafkaClients.producer(kafkaConfig, "inbox-test-" + run));
    db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), "inbox_test_" + run, 4);
    join(db.migrate("db/inboxtest"));
  }

  @AfterEach
  void close() {
    join(Future.join(consumers.stream().map(IdempotentConsumer::stop).toList()));
    join(vertx.close());
  }

  @Test
  void oneBadRecordCostsOnlyItselfAndTheRestOfItsBatchIsAppliedExactlyOnceEvenWhenReplayed() {
    badRecordCostsOnlyItself(ConflictKeys.ONE_LANE);
  }

  @Test
  void oneBadRecordCostsOnlyItselfWhenTheBatchRunsInLanesToo() {
    badRecordCostsOnlyItself(ConflictKeys.BY_AGGREGATE);
  }

  @Test
  void appliesOneAggregatesRecordsInOrderWhileOtherAggregatesGoAhead() {
    List<String> orders = List.of("slow", "b", "c", "d");
    Map<String, List<UUID>> sent = new LinkedHashMap<>();
    List<Future<?>> sends = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (String order : orders) {
        EventEnvelope event = cancelledWithAggregate(order);
        sent.computeIfAbsent(order, o -> new ArrayList<>()).add(event.eventId());
        sends.add(send(event));
      }
    }
    join(Future.all(sends));
    UUID slowFirst = sent.get("slow").get(0);
    List<EventEnvelope> applied = new CopyOnWriteArrayList<>();
    // The first record of "slow" holds its lane for a while; the other orders' lanes do not wait for it.
    EventHandler handler = (tx, event) -> (event.eventId().equals(slowFirst) ? vertx.timer(300) : Future.succeededFuture())
        .compose(v -> tx.preparedQuery(INSERT_APPLIED).execute(Tuple.of(event.eventId(), event.aggregateId())))
        .onSuccess(rows -> applied.add(event))
        .mapEmpty();
    IdempotentConsumer consumer = start(handler, ConflictKeys.BY_AGGREGATE, "lanes-" + run);

    await().atMost(WAIT).until(() -> consumer.eventsProcessed() == 12);
    assertThat(applied.get(0).eventId()).as("another order went first").isNotEqualTo(slowFirst);
    for (String order : orders) {
      assertThat(applied.stream().filter(e -> e.aggregateId().equals(aggregate(order))).map(EventEnvelope::eventId).toList())
          .as("records of %s in the order they were sent", order)
          .containsExactlyElementsOf(sent.get(order));
    }
    assertThat(appliedRows()).isEqualTo(12);
  }

  @Test
  void handsTheFirstRecordOfEachAggregateToItsGroupedHandlerTogetherAndTheRestAfterInOrder() {
    List<String> sequence = List.of("a", "b", "a", "c", "b", "d", "a");
    Map<String, List<UUID>> sent = new LinkedHashMap<>();
    List<Future<?>> sends = new ArrayList<>();
    for (String order : sequence) {
      EventEnvelope event = cancelledWithAggregate(order);
      sent.computeIfAbsent(order, o -> new ArrayList<>()).add(event.eventId());
      sends.add(send(event));
    }
    join(Future.all(sends));
    List<EventEnvelope> applied = new CopyOnWriteArrayList<>();
    List<List<String>> groups = new CopyOnWriteArrayList<>();
    EventHandler one = (tx, event) -> tx.preparedQuery(INSERT_APPLIED)
        .execute(Tuple.of(event.eventId(), event.aggregateId()))
        .onSuccess(rows -> applied.add(event))
        .mapEmpty();
    GroupedEventHandler grouped = GroupedEventHandler.of(one, (tx, events) -> {
      groups.add(events.stream().map(EventEnvelope::aggregateId).toList());
      return Future.join(events.stream().map(event -> one.handle(tx, event)).toList()).mapEmpty();
    });
    IdempotentConsumer consumer = start(grouped, ConflictKeys.BY_AGGREGATE, "groups-" + run);

    await().atMost(WAIT).until(() -> consumer.eventsProcessed() == sequence.size());
    assertThat(groups).as("the records already there come in one poll, and lead lanes a, b, c, d")
        .anySatisfy(group -> assertThat(group).hasSizeGreaterThan(1));
    assertThat(groups).allSatisfy(group -> assertThat(group).as("one record per aggregate in a group")
        .doesNotHaveDuplicates());
    for (String order : sent.keySet()) {
      assertThat(applied.stream().filter(e -> e.aggregateId().equals(aggregate(order))).map(EventEnvelope::eventId).toList())
          .as("records of %s in the order they were sent", order)
          .containsExactlyElementsOf(sent.get(order));
    }
    assertThat(appliedRows()).isEqualTo(sequence.size());
  }

  @Test
  void locksAheadInTheHandlersTransactionBeforeAnyOfThemRunsInABatchAndRecordByRecord() {
    UUID poisoned = UUID.randomUUID();
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      events.add(cancelled(i == 6 ? poisoned : UUID.randomUUID()));
    }
    events.add(events.get(0));
    join(Future.all(events.stream().map(this::send).toList()));
    List<String> parked = new CopyOnWriteArrayList<>();
    watchDeadLetters(parked);
    List<List<UUID>> lockedFor = new CopyOnWriteArrayList<>();
    // The lock-ahead leaves the ids it was given in a setting local to its transaction; a handler that
    // does not find its own event there ran before it, or in another transaction, and fails.
    LockAhead marking = (tx, fresh) -> {
      List<UUID> ids = fresh.stream().map(EventEnvelope::eventId).toList();
      lockedFor.add(ids);
      return tx.preparedQuery("SELECT set_config('ordermesh_test.locked', $1, true)")
          .execute(Tuple.of(ids.toString())).mapEmpty();
    };
    EventHandler checking = (tx, event) -> tx.query("SELECT current_setting('ordermesh_test.locked', true) AS ids")
        .execute()
        .compose(rows -> String.valueOf(rows.iterator().next().getString("ids")).contains(event.eventId().toString())
            ? record(tx, event, poisoned)
            : Future.failedFuture(new IllegalStateException("handled before its rows were locked")));
    EventEnvelope failing = events.get(6);

    IdempotentConsumer consumer = start(checking, ConflictKeys.BY_AGGREGATE, marking, "lock-ahead-" + run, CONFIG,
        IdempotentConsumer.OffsetCommitGate.OPEN);

    await().atMost(WAIT).until(() -> consumer.eventsProcessed() == 11 && parked.size() == 1);
    assertThat(parked).containsExactly("HANDLER_FAILED:" + failing.eventId());
    assertThat(appliedRows()).isEqualTo(11);
    assertThat(lockedFor).as("the poll's fresh events together").anySatisfy(ids -> assertThat(ids).hasSizeGreaterThan(1));
    assertThat(lockedFor).as("the failing record alone, after its batch failed").contains(List.of(failing.eventId()));
    assertThat(lockedFor).as("a repeat is not fresh").allSatisfy(ids -> assertThat(ids).doesNotHaveDuplicates());
  }

  private void badRecordCostsOnlyItself(ConflictKeys conflictKeys) {
    UUID poisoned = UUID.randomUUID();
    EventEnvelope failing = cancelled(poisoned);
    List<Future<?>> sends = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      if (i == EVENTS / 3) {
        sends.add(sendRaw("{\"not\":\"an event\"}"));
      } else if (i == 2 * EVENTS / 3) {
        sends.add(send(failing));
      } else {
        sends.add(send(cancelled(UUID.randomUUID())));
      }
    }
    // All of them are in Kafka before the consumer starts, so its polls hold many records each.
    join(Future.all(sends));
    List<String> parked = new CopyOnWriteArrayList<>();
    watchDeadLetters(parked);
    int good = EVENTS - 2;

    IdempotentConsumer consumer = start(poisoned, conflictKeys, "inbox-" + run);
    await().atMost(WAIT).until(() -> consumer.eventsProcessed() == good && parked.size() == 2);
    assertThat(appliedRows()).isEqualTo(good);
    assertThat(parked).containsExactlyInAnyOrder("HANDLER_FAILED:" + failing.eventId(), "INVALID:");
    assertThat(consumer.duplicatesSkipped()).isZero();

    // The whole topic again, as a group that lost its offsets would see it: nothing is applied twice.
    IdempotentConsumer replay = start(poisoned, conflictKeys, "replay-" + run);
    await().atMost(WAIT).until(() -> replay.duplicatesSkipped() == good && parked.size() == 4);
    assertThat(appliedRows()).isEqualTo(good);
    assertThat(replay.eventsProcessed()).isZero();
  }

  @Test
  void commitsOffsetsOncePerIntervalRatherThanPerPollAndEverythingAppliedWhenItStops() {
    List<Map<io.vertx.kafka.client.common.TopicPartition, io.vertx.kafka.client.consumer.OffsetAndMetadata>> commits =
        new CopyOnWriteArrayList<>();
    IdempotentConsumer.OffsetCommitGate counting = offsets -> {
      commits.add(offsets);
      return Future.succeededFuture();
    };
    String group = "cadence-" + run;
    IdempotentConsumer consumer = start(appliedOnce(), group, CONFIG.withOffsetCommitInterval(Duration.ofHours(1)),
        counting);

    RecordMetadata last = null;
    for (int i = 1; i <= 5; i++) {
      last = join(send(cancelled(UUID.randomUUID())));
      long applied = i;
      // One record per poll: each would have been a commit of its own.
      await().atMost(WAIT).until(() -> consumer.eventsProcessed() == applied);
    }
    assertThat(commits).as("commits within the interval").isEmpty();
    assertThat(committedOffsets(group)).isEmpty();

    consumers.remove(consumer);
    join(consumer.stop());
    assertThat(commits).hasSize(1);
    assertThat(committedOffsets(group))
        .containsExactly(Map.entry(new TopicPartition(topic, last.getPartition()), last.getOffset() + 1));
  }

  @Test
  void triesAFailedOffsetCommitAgainWithTheNextOneEvenWhenNoRecordsCameMeanwhile() {
    String group = "commit-again-" + run;
    AtomicInteger attempts = new AtomicInteger();
    IdempotentConsumer.OffsetCommitGate failingOnce = offsets -> attempts.incrementAndGet() == 1
        ? Future.failedFuture(new IllegalStateException("the coordinator moved"))
        : Future.succeededFuture();
    IdempotentConsumer consumer = start(appliedOnce(), group, CONFIG.withOffsetCommitInterval(Duration.ofMillis(200)),
        failingOnce);

    RecordMetadata sent = join(send(cancelled(UUID.randomUUID())));
    await().atMost(WAIT).until(() -> consumer.eventsProcessed() == 1);

    await().atMost(WAIT).until(() -> !committedOffsets(group).isEmpty());
    assertThat(attempts).as("the failed commit, then the one that carried its offset").hasValueGreaterThan(1);
    assertThat(committedOffsets(group))
        .containsExactly(Map.entry(new TopicPartition(topic, sent.getPartition()), sent.getOffset() + 1));
  }

  @Test
  void aConsumerThatDiesBeforeItsIntervalCommitsNothingAndItsSuccessorDropsWhatItHadApplied() {
    String group = "died-" + run;
    IdempotentConsumer first = start(appliedOnce(), group, CONFIG.withOffsetCommitInterval(Duration.ofHours(1)),
        IdempotentConsumer.OffsetCommitGate.OPEN);
    join(Future.all(List.of(send(cancelled(UUID.randomUUID())), send(cancelled(UUID.randomUUID())),
        send(cancelled(UUID.randomUUID())))));
    await().atMost(WAIT).until(() -> first.eventsProcessed() == 3);
    consumers.remove(first);
    join(first.abort());
    assertThat(committedOffsets(group)).isEmpty();

    IdempotentConsumer second = start(appliedOnce(), group, CONFIG, IdempotentConsumer.OffsetCommitGate.OPEN);
    await().atMost(WAIT).until(() -> second.duplicatesSkipped() == 3);
    assertThat(second.eventsProcessed()).isZero();
    assertThat(appliedRows()).isEqualTo(3);
  }

  @Test
  void leavesARecordThatFailsWhileTheConsumerStopsForRedeliveryInsteadOfParkingIt() {
    String group = "stopping-" + run;
    EventEnvelope cancelled = cancelled(UUID.randomUUID());
    join(send(cancelled));
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean healed = new AtomicBoolean();
    AtomicReference<IdempotentConsumer> self = new AtomicReference<>();
    AtomicReference<Future<Void>> stopping = new AtomicReference<>();
    // Fails (a connection blip, a deadlock) until healed; the record's first attempt on its own, after
    // the batch failed as a whole, is when the node begins to stop.
    EventHandler flaky = (tx, event) -> {
      if (healed.get()) {
        return appliedOnce().handle(tx, event);
      }
      if (attempts.incrementAndGet() == 2) {
        stopping.set(self.get().stop());
      }
      return Future.failedFuture(new IllegalStateException("transient"));
    };
    self.set(start(flaky, group, CONFIG, IdempotentConsumer.OffsetCommitGate.OPEN));
    await().atMost(WAIT).until(() -> stopping.get() != null);
    consumers.remove(self.get());
    join(stopping.get());

    assertThat(recordsIn(Topics.dlqOf(topic))).as("parked while stopping").isZero();
    assertThat(committedOffsets(group)).as("its offset not committed").isEmpty();
    healed.set(true);
    IdempotentConsumer next = start(flaky, group, CONFIG, IdempotentConsumer.OffsetCommitGate.OPEN);
    await().atMost(WAIT).until(() -> next.eventsProcessed() == 1);
    assertThat(appliedRows()).isEqualTo(1);
  }

  @Test
  void aRecordThatFailsWhileTheDatabaseIsOutOfReachIsAppliedOnceItIsBackAndNeverParked() {
    String group = "database-out-" + run;
    join(send(cancelled(UUID.randomUUID())));
    AtomicInteger cuts = new AtomicInteger();
    // The database drops the handler's connection (as a restart or a failover would) more times in a row
    // than one record's attempts (CONFIG: 2) and its batch's together.
    EventHandler cutOff = (tx, event) -> cuts.incrementAndGet() <= CONNECTIONS_CUT
        ? tx.query("SELECT pg_terminate_backend(pg_backend_pid())").execute().mapEmpty()
        : appliedOnce().handle(tx, event);
    IdempotentConsumer consumer = start(cutOff, group, CONFIG, IdempotentConsumer.OffsetCommitGate.OPEN);

    await().atMost(WAIT).until(() -> consumer.eventsProcessed() == 1);
    assertThat(appliedRows()).isEqualTo(1);
    assertThat(cuts.get()).isGreaterThan(CONNECTIONS_CUT);
    assertThat(recordsIn(Topics.dlqOf(topic))).as("never parked: it was the database, not the record").isZero();
  }

  private long recordsIn(String dlqTopic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(List.of(dlqTopic)).allTopicNames().get().values().forEach(description ->
          description.partitions().forEach(p -> {
            earliest.put(new TopicPartition(dlqTopic, p.partition()), OffsetSpec.earliest());
            latest.put(new TopicPartition(dlqTopic, p.partition()), OffsetSpec.latest());
          }));
      long first = admin.listOffsets(earliest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
      long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
      return end - first;
    } catch (Exception e) {
      throw new IllegalStateException("could not count the records of " + dlqTopic, e);
    }
  }

  private EventHandler appliedOnce() {
    return (tx, event) -> tx.preparedQuery(INSERT_APPLIED)
        .execute(Tuple.of(event.eventId(), event.data().getString("orderId"))).mapEmpty();
  }

  private Map<TopicPartition, Long> committedOffsets(String group) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.bootstrapServers()))) {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
          .forEach((partition, committed) -> offsets.put(partition, committed.offset()));
      return offsets;
    } catch (Exception e) {
      throw new IllegalStateException("could not read the offsets of " + group, e);
    }
  }

  /** Each test sees only its own records: the shared topics are emptied of earlier tests' ones. */
  private static void truncate(String bootstrap, List<String> topics) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(topics).allTopicNames().get().values().forEach(description ->
          description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
              OffsetSpec.latest())));
      Map<TopicPartition, RecordsToDelete> before = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((partition, end) ->
          before.put(partition, RecordsToDelete.beforeOffset(end.offset())));
      admin.deleteRecords(before).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("could not empty " + topics, e);
    }
  }

  /** A consumer named like the first one (so it shares its inbox) in a consumer group of its own. */
  private IdempotentConsumer start(UUID failFor, ConflictKeys conflictKeys, String group) {
    return start((tx, event) -> record(tx, event, failFor), conflictKeys, group);
  }

  private IdempotentConsumer start(EventHandler handler, ConflictKeys conflictKeys, String group) {
    return start(handler, conflictKeys, group, CONFIG, IdempotentConsumer.OffsetCommitGate.OPEN);
  }

  private IdempotentConsumer start(EventHandler handler, String group, ConsumerConfig config,
      IdempotentConsumer.OffsetCommitGate gate) {
    return start(handler, ConflictKeys.ONE_LANE, group, config, gate);
  }

  private IdempotentConsumer start(EventHandler handler, ConflictKeys conflictKeys, String group, ConsumerConfig config,
      IdempotentConsumer.OffsetCommitGate gate) {
    return start(handler, conflictKeys, LockAhead.NONE, group, config, gate);
  }

  private IdempotentConsumer start(EventHandler handler, ConflictKeys conflictKeys, LockAhead lockAhead, String group,
      ConsumerConfig config, IdempotentConsumer.OffsetCommitGate gate) {
    String name = "inbox-" + run;
    KafkaConsumer<String, String> kafka = KafkaConsumer.create(vertx,
        KafkaClients.consumer(kafkaConfig, group, group + "-client"));
    IdempotentConsumer consumer = new IdempotentConsumer(vertx, db, name, kafka,
        Map.of(EventType.ORDER_CANCELLED, handler), conflictKeys, lockAhead, new DeadLetters(producer), config, gate);
    consumers.add(consumer);
    join(consumer.start());
    return consumer;
  }

  private static Future<Void> record(SqlConnection tx, EventEnvelope event, UUID failFor) {
    String orderId = event.data().getString("orderId");
    return tx.preparedQuery(INSERT_APPLIED).execute(Tuple.of(event.eventId(), orderId))
        .compose(rows -> orderId.equals(String.valueOf(failFor))
            ? Future.failedFuture(new IllegalStateException("this order always fails"))
            : Future.succeededFuture());
  }

  private long appliedRows() {
    return join(db.pool().query("SELECT count(*) AS n FROM applied").execute()).iterator().next().getLong("n");
  }

  /** Collects "reason:eventId" of every record parked on the topic's DLQ. */
  private void watchDeadLetters(List<String> parked) {
    KafkaConsumer<String, String> dlq = KafkaConsumer.create(vertx,
        KafkaClients.consumer(kafkaConfig, "dlq-watch-" + UUID.randomUUID(), "dlq-watch"));
    dlq.handler(record -> {
      String reason = record.headers().stream().filter(h -> EventHeaders.DLQ_REASON.equals(h.key()))
          .map(h -> h.value().toString()).findFirst().orElse("?");
      boolean invalid = !"HANDLER_FAILED".equals(reason);
      String eventId = invalid ? "" : new JsonObject(record.value()).getString("eventId");
      parked.add((invalid ? "INVALID" : reason) + ":" + eventId);
    });
    join(dlq.subscribe(Topics.dlqOf(topic)));
  }

  private EventEnvelope cancelled(UUID orderId) {
    return EventEnvelope.wrap(new OrderCancelled(orderId, "customer-" + run, CancellationReason.OUT_OF_STOCK),
        "inbox-test", "corr-" + run, null);
  }

  /** An event about the order a test calls {@code name}, so the lanes it lands in are easy to read. */
  private EventEnvelope cancelledWithAggregate(String name) {
    return cancelled(UUID.fromString(aggregate(name)));
  }

  /** The order id (the aggregate id of its events) of the order a test calls {@code name}. */
  private String aggregate(String name) {
    return namedOrders.computeIfAbsent(name, n -> UUID.randomUUID()).toString();
  }

  private Future<RecordMetadata> send(EventEnvelope event) {
    return sendRaw(event.toJson().encode());
  }

  private Future<RecordMetadata> sendRaw(String value) {
    return producer.send(KafkaProducerRecord.create(topic, run, value));
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
