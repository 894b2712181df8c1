package io.ordermesh.platform.inbox;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventSchemas;
import io.ordermesh.events.EventType;
import io.ordermesh.events.InvalidEventException;
import io.ordermesh.platform.config.OrdermeshConfig.ConsumerConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.db.DatabaseFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Gauge;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer whose effects happen exactly once per event id.
 *
 * <p>It polls, applies the records of a poll inside one PostgreSQL transaction in which each record
 * first claims {@code (consumer, eventId)} in the inbox (records that decide on the same rows in poll
 * order, the others side by side: {@link ConflictKeys}), and commits offsets only after that
 * transaction committed. One transaction per poll rather than per record is what lets the saga keep up
 * under load: batches grow with the backlog, and an idle system still answers in one record's time.
 * Offsets of applied batches are committed to Kafka at most once per
 * {@link ConsumerConfig#offsetCommitInterval()} and when the consumer stops, not after every poll: a
 * commit is a synchronous request the broker writes to its offsets log, and under load polls come
 * hundreds of times a second. What a crash or a lost partition leaves uncommitted is delivered again
 * and found in the inbox.
 * If the batch's transaction fails, the records are applied again one transaction each, with retries,
 * so one bad record costs only itself. A redelivered record finds its inbox row and is skipped (and
 * counted). A record that is not a valid event, or whose handler keeps failing, is parked on the DLQ
 * and the consumer moves on: it never stalls on one record.
 */
public final class IdempotentConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(IdempotentConsumer.class);

  private static final String CLAIM = """
      INSERT INTO inbox (consumer, event_id, event_type, aggregate_id) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING""";
  private static final String CLAIM_ALL = """
      INSERT INTO inbox (consumer, event_id, event_type, aggregate_id)
      SELECT $1, claimed.event_id, claimed.event_type, claimed.aggregate_id
      FROM unnest($2::uuid[], $3::text[], $4::text[]) AS claimed (event_id, event_type, aggregate_id)
      ON CONFLICT DO NOTHING
      RETURNING event_id""";
  private static final long POLL_FAILURE_PAUSE_MS = 500;
  private static final java.time.Duration STOP_TIMEOUT = java.time.Duration.ofSeconds(10);
  private static final long LAG_SAMPLE_MS = 2_000;

  private final Vertx vertx;
  private final Database db;
  private final String name;
  private final KafkaConsumer<String, String> consumer;
  private final Map<EventType, EventHandler> handlers;
  private final DeadLetters deadLetters;
  private final ConsumerConfig config;
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private final Promise<Void> stopped = Promise.promise();
  private final Counter processedMeter;
  private final AtomicLong lag = new AtomicLong();
  private long lagTimer = -1;
  private final Counter duplicatesMeter;
  private final DistributionSummary batchSizes;
  private final Timer batchTimes;

  private final OffsetCommitGate commitGate;
  private final ConflictKeys conflictKeys;
  private final LockAhead lockAhead;
  /** Offsets of applied records not yet committed to Kafka; touched only on this consumer's context. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private long lastCommitNanos;

  private volatile boolean running;
  private volatile boolean aborted;
  private volatile boolean subscribed;
  private volatile boolean looping;
  /** The lag sample under way, or the last one: a stop waits for it before closing the consumer. */
  private Future<?> sampling = Future.succeededFuture();

  /**
   * Runs between "the batch's transactions committed" and "its offsets are committed". Production
   * passes {@link OffsetCommitGate#OPEN}; crash tests hold the gate shut and {@link #abort()}, which is
   * what a process killed at that moment looks like to Kafka and PostgreSQL.
   */
  @FunctionalInterface
  public interface OffsetCommitGate {
    OffsetCommitGate OPEN = offsets -> Future.succeededFuture();

    Future<Void> beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets);
  }

  public IdempotentConsumer(Vertx vertx, Database db, String name, KafkaConsumer<String, String> consumer,
      Map<EventType, EventHandler> handlers, DeadLetters deadLetters, ConsumerConfig config,
      OffsetCommitGate commitGate) {
    this(vertx, db, name, consumer, handlers, ConflictKeys.ONE_LANE, deadLetters, config, commitGate);
  }

  /** A consumer whose handlers' transactions share no rows with other consumers' ({@link LockAhead#NONE}). */
  public IdempotentConsumer(Vertx vertx, Database db, String name, KafkaConsumer<String, String> consumer,
      Map<EventType, EventHandler> handlers, ConflictKeys conflictKeys, DeadLetters deadLetters,
      ConsumerConfig config, OffsetCommitGate commitGate) {
    this(vertx, db, name, consumer, handlers, conflictKeys, LockAhead.NONE, deadLetters, config, commitGate);
  }

  /**
   * @param conflictKeys what each handler decides on: records with overlapping keys are applied in
   *     order, the others side by side within the poll's transaction (see {@link ConflictKeys})
   * @param lockAhead takes the shared rows a transaction's fresh events will write, in one global order,
   *     before any handler runs (see {@link LockAhead})
   */
  public IdempotentConsumer(Vertx vertx, Database db, String name, KafkaConsumer<String, String> consumer,
      Map<EventType, EventHandler> handlers, ConflictKeys conflictKeys, LockAhead lockAhead,
      DeadLetters deadLetters, ConsumerConfig config, OffsetCommitGate commitGate) {
    this.conflictKeys = conflictKeys;
    this.lockAhead = lockAhead;
    this.commitGate = commitGate;
    this.processedMeter = Counter.builder("ordermesh.inbox.events.processed").tag("consumer", name)
        .description("Events applied by an idempotent consumer").register(Metrics.registry());
    this.batchSizes = DistributionSummary.builder("ordermesh.inbox.batch.records").tag("consumer", name)
        .description("Records per poll, applied in one transaction").register(Metrics.registry());
    this.batchTimes = Timer.builder("ordermesh.inbox.batch.duration").tag("consumer", name)
        .description("From a poll's records in hand to their effects committed").register(Metrics.registry());
    this.duplicatesMeter = Counter.builder("ordermesh.inbox.duplicates").tag("consumer", name)
        .description("Redelivered events skipped because the inbox already had them").register(Metrics.registry());
    Gauge.builder("ordermesh.consumer.lag", lag, AtomicLong::get).tag("consumer", name)
        .description("Records on this consumer's partitions not yet processed (end offset - position)")
        .register(Metrics.registry());
    this.vertx = vertx;
    this.db = db;
    this.name = name;
    this.consumer = consumer;
    this.handlers = Map.copyOf(handlers);
    this.deadLetters = deadLetters;
    this.config = config;
  }

  /** Subscribes to the topics of the handled event types and starts the poll loop. */
  public Future<Void> start() {
    Set<String> topics = handlers.keySet().stream().map(EventType::topic).collect(Collectors.toSet());
    running = true;
    lastCommitNanos = System.nanoTime();
    consumer.partitionsAssignedHandler(partitions -> subscribed = true);
    // Their new owner starts from the last commit; committing them later could only move it back.
    consumer.partitionsRevokedHandler(partitions -> uncommitted.keySet().removeAll(partitions));
    return consumer.subscribe(topics).onSuccess(v -> {
      looping = true;
      lagTimer = vertx.setPeriodic(LAG_SAMPLE_MS, id -> sampleLag());
      pollLoop();
    });
  }

  /** Finishes the batch in hand, commits the offsets of everything applied, and closes the Kafka consumer. */
  public Future<Void> stop() {
    running = false;
    vertx.cancelTimer(lagTimer);
    if (!looping) {
      // Never subscribed (start failed): there is no batch in hand to wait for.
      stopped.tryComplete();
    }
    // A batch that does not finish must not hold the leave, nor the group's partitions, for ever:
    // closing hands them over at once, and what was not committed is delivered again (the inbox
    // drops what was applied).
    return stopped.future()
        .timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(error -> LOG.warn("consumer {} did not finish its batch within {} ms; closing without it",
            name, STOP_TIMEOUT.toMillis()))
        // A lag sample still under way would call the consumer after close() began, and Vert.x reopens a
        // closed stream on a new thread for it: the close then loses Kafka's one-thread check and fails
        // where nobody hears of it, leaving the consumer a member of its group that never polls.
        .eventually(() -> sampling.otherwiseEmpty())
        .eventually(() -> consumer.close()
            .timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .onFailure(error -> LOG.warn("consumer {} did not close within {} ms: {}", name, STOP_TIMEOUT.toMillis(),
                error.toString())));
  }

  /** Stops at once without committing anything more, as a crash would; the group re-delivers the rest. */
  public Future<Void> abort() {
    running = false;
    aborted = true;
    vertx.cancelTimer(lagTimer);
    stopped.tryComplete();
    return consumer.close();
  }

  /** Sums, over the partitions this consumer holds, how far its position is behind the end of the log. */
  private void sampleLag() {
    if (!running) {
      return;
    }
    // Each step asks again whether the consumer is still running: none may reach it once stop() began.
    sampling = consumer.assignment()
        .compose(partitions -> !running || partitions.isEmpty()
            ? Future.succeededFuture(lag.get())
            : consumer.endOffsets(partitions).compose(ends -> !running
                ? Future.succeededFuture(lag.get())
                : Future.all(ends.entrySet().stream()
                        .map(e -> consumer.position(e.getKey()).map(position -> Math.max(0, e.getValue() - position)))
                        .toList())
                    .map(all -> all.<Long>list().stream().mapToLong(Long::longValue).sum())))
        .onSuccess(lag::set);
  }

  public String name() {
    return name;
  }

  /** True once the group gave this consumer its partitions. */
  public boolean isConsuming() {
    return running && subscribed;
  }

  public long duplicatesSkipped() {
    return duplicates.get();
  }

  public long eventsProcessed() {
    return processed.get();
  }

  private void pollLoop() {
    if (!running) {
      commitUncommitted().onComplete(ar -> stopped.tryComplete());
      return;
    }
    consumer.poll(config.pollTimeout())
        .compose(this::processBatch)
        .compose(v -> commitIfDue())
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("consumer {} will poll again after: {}", name, ar.cause().toString());
            vertx.setTimer(POLL_FAILURE_PAUSE_MS, id -> pollLoop());
          } else {
            pollLoop();
          }
        });
  }

  /** Applies the batch in order; keeps the offsets of what was applied; rewinds what was not. */
  private Future<Void> processBatch(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    batchSizes.record(records.size());
    List<Incoming> batch = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      batch.add(Incoming.of(records.recordAt(i), handlers));
    }
    return applyInOneTransaction(batch)
        .compose(v -> parkInvalid(batch))
        .transform(ar -> ar.succeeded() ? toCommit(lastOffsets(batch)) : fallBackToOneByOne(batch, ar.cause()))
        .onComplete(ar -> batchTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
  }

  private Future<Void> fallBackToOneByOne(List<Incoming> batch, Throwable cause) {
    LOG.debug("consumer {}: batch of {} failed as a whole ({}); applying record by record", name, batch.size(),
        cause.toString());
    return oneByOne(batch);
  }

  /**
   * Every valid record of the batch, claimed, handled in lanes, committed together. The inbox
   * rows of the whole batch are claimed in one statement first: what it did not insert was seen
   * before (a repeat within the batch counts once), and only fresh events reach their handler.
   */
  private Future<Void> applyInOneTransaction(List<Incoming> batch) {
    List<Incoming> applicable = batch.stream().filter(Incoming::applicable).toList();
    if (applicable.isEmpty()) {
      return Future.succeededFuture();
    }
    boolean[] applied = new boolean[applicable.size()];
    return db.pool().withTransaction(tx -> claimAll(tx, applicable).compose(fresh -> {
      List<Incoming> toApply = new ArrayList<>(applicable.size());
      for (int i = 0; i < applicable.size(); i++) {
        applied[i] = fresh.remove(applicable.get(i).event().eventId());
        if (applied[i]) {
          toApply.add(applicable.get(i));
        }
      }
      return toApply.isEmpty()
          ? Future.<Void>succeededFuture()
          : lockAhead.lock(tx, toApply.stream().map(Incoming::event).toList())
              .compose(v -> applyGroupsThenLanes(tx, toApply));
    })).onSuccess(v -> {
      for (int i = 0; i < applicable.size(); i++) {
        countOutcome(applicable.get(i).event(), applied[i]);
      }
    });
  }

  /**
   * Records that a {@link GroupedEventHandler} applies and that share no conflict key with an earlier
   * record of the poll go first, together per handler; the others follow in lanes. Each key's records
   * keep their poll order: a record that joins a group is the first of the poll for every key it names.
   */
  private Future<Void> applyGroupsThenLanes(SqlConnection tx, List<Incoming> records) {
    Map<GroupedEventHandler, List<EventEnvelope>> groups = new LinkedHashMap<>();
    List<Incoming> rest = new ArrayList<>(records.size());
    Set<String> keysSeen = new HashSet<>();
    for (Incoming incoming : records) {
      Collection<String> keys = conflictKeys.of(incoming.event());
      boolean leads = keys.stream().noneMatch(keysSeen::contains);
      keysSeen.addAll(keys);
      if (leads && incoming.handler() instanceof GroupedEventHandler grouped) {
        groups.computeIfAbsent(grouped, g -> new ArrayList<>()).add(incoming.event());
      } else {
        rest.add(incoming);
      }
    }
    if (groups.isEmpty()) {
      return applyInLanes(tx, rest);
    }
    // compose, so that a handler throwing fails its future rather than leaving the others' statements behind
    List<Future<Void>> applied = groups.entrySet().stream()
        .map(group -> Future.<Void>succeededFuture().compose(v -> group.getKey().handleAll(tx, group.getValue())))
        .toList();
    return Future.join(applied).compose(v -> applyInLanes(tx, rest));
  }

  /**
   * Lanes run side by side, their statements pipelined on the transaction's connection. {@code join},
   * not {@code all}: the transaction may end only when no lane can send another statement on it.
   */
  private Future<Void> applyInLanes(SqlConnection tx, List<Incoming> records) {
    List<Future<Void>> lanes = Lanes.split(records, incoming -> conflictKeys.of(incoming.event())).stream()
        .map(lane -> applyInOrder(tx, lane))
        .toList();
    return Future.join(lanes).mapEmpty();
  }

  private static Future<Void> applyInOrder(SqlConnection tx, List<Incoming> lane) {
    Future<Void> chain = Future.succeededFuture();
    for (Incoming incoming : lane) {
      chain = chain.compose(v -> incoming.handler().handle(tx, incoming.event()));
    }
    return chain;
  }

  /** Answers the ids of the events this consumer had not seen before. */
  private Future<Set<UUID>> claimAll(SqlConnection tx, List<Incoming> events) {
    UUID[] ids = new UUID[events.size()];
    String[] types = new String[events.size()];
    String[] aggregates = new String[events.size()];
    for (int i = 0; i < events.size(); i++) {
      EventEnvelope event = events.get(i).event();
      ids[i] = event.eventId();
      types[i] = event.type().wireName();
      aggregates[i] = event.aggregateId();
    }
    return tx.preparedQuery(CLAIM_ALL).execute(Tuple.of(name, ids, types, aggregates)).map(rows -> {
      Set<UUID> fresh = new HashSet<>();
      rows.forEach(row -> fresh.add(row.getUUID("event_id")));
      return fresh;
    });
  }

  private Future<Void> parkInvalid(List<Incoming> batch) {
    return Future.all(batch.stream().filter(in -> in.invalid() != null)
            .map(in -> deadLetters.park(in.record(), name, in.invalid().reason(), in.invalid().getMessage()))
            .toList())
        .mapEmpty();
  }

  private static Map<TopicPartition, OffsetAndMetadata> lastOffsets(List<Incoming> batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Incoming in : batch) {
      offsets.put(new TopicPartition(in.record().topic(), in.record().partition()),
          new OffsetAndMetadata(in.record().offset() + 1, null));
    }
    return offsets;
  }

  /** The careful path: a transaction and retries per record, the DLQ for what keeps failing. */
  private Future<Void> oneByOne(List<Incoming> batch) {
    Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Incoming incoming : batch) {
      KafkaConsumerRecord<String, String> record = incoming.record();
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      firstOffsets.putIfAbsent(partition, record.offset());
      chain = chain.compose(v -> process(incoming))
          .onSuccess(v -> done.put(partition, new OffsetAndMetadata(record.offset() + 1, null)));
    }
    return chain.transform(ar -> ar.succeeded()
        ? toCommit(done)
        : rewind(firstOffsets, done).compose(v -> toCommit(done)).compose(v -> Future.failedFuture(ar.cause())));
  }

  private Future<Void> process(Incoming incoming) {
    if (incoming.invalid() != null) {
      return deadLetters.park(incoming.record(), name, incoming.invalid().reason(), incoming.invalid().getMessage())
          .mapEmpty();
    }
    if (!incoming.applicable()) {
      return Future.succeededFuture();
    }
    return applyOnce(incoming.event(), incoming.handler(), 1)
        .recover(error -> running && !DatabaseFailures.isPassing(error)
            ? deadLetters.park(incoming.record(), name, "HANDLER_FAILED", error.toString()).mapEmpty()
            // Not failed for good: stopping cut its attempts short, or the database could not do the work
            // (a restart, a failover, a dropped connection) for longer than they lasted. Parked, it would
            // wait for an operator's replay and leave its saga half done; instead the partition is rewound
            // to it and polled again after a pause, and the record is applied once the database is back.
            : Future.failedFuture(error));
  }

  /**
   * A polled record, parsed once: its event (with the trace context of its headers) and handler, or
   * why it is not a valid event. A valid event of a type this consumer does not handle is skipped.
   */
  private record Incoming(KafkaConsumerRecord<String, String> record, EventEnvelope event, EventHandler handler,
      InvalidEventException invalid) {

    static Incoming of(KafkaConsumerRecord<String, String> record, Map<EventType, EventHandler> handlers) {
      EventEnvelope event;
      try {
        event = EventSchemas.parse(record.value() == null ? "" : record.value());
      } catch (InvalidEventException e) {
        return new Incoming(record, null, null, e);
      } catch (RuntimeException e) {
        // Never let one record's surprise fail the poll: the batch would be skipped, not rewound.
        return new Incoming(record, null, null, InvalidEventException.malformed("unreadable: " + e));
      }
      String typeHeader = lastHeader(record, EventHeaders.TYPE);
      if (typeHeader != null && !typeHeader.equals(event.type().wireName())) {
        // Readers that route by the header (the benchmark driver, tools) would take it for another event.
        return new Incoming(record, null, null, InvalidEventException.malformed("the " + EventHeaders.TYPE
            + " header says " + typeHeader + ", the event is " + event.type().wireName()));
      }
      String trace = lastHeader(record, EventHeaders.TRACEPARENT);
      if (trace != null) {
        event = event.withTraceparent(trace);
      }
      return new Incoming(record, event, handlers.get(event.type()), null);
    }

    boolean applicable() {
      return handler != null;
    }

    /** The value of the record's last header named {@code name} (Kafka allows repeats), or null. */
    private static String lastHeader(KafkaConsumerRecord<String, String> record, String name) {
      return record.headers().stream().filter(h -> name.equals(h.key())).reduce((a, b) -> b)
          .map(h -> h.value().toString()).orElse(null);
    }
  }

  private Future<Void> applyOnce(EventEnvelope event, EventHandler handler, int attempt) {
    return db.pool().withTransaction(tx -> claimAndHandle(tx, event, handler))
        .onSuccess(applied -> countOutcome(event, applied))
        .<Void>mapEmpty()
        .recover(error -> retryOrGiveUp(event, handler, attempt, error));
  }

  private Future<Void> retryOrGiveUp(EventEnvelope event, EventHandler handler, int attempt, Throwable error) {
    if (attempt >= config.maxAttempts() || !running) {
      return Future.failedFuture(error);
    }
    LogContext.of(name, event.correlationId()).order(event.aggregateId()).event(event.eventId())
        .warn(LOG, "{} attempt {} on {} failed: {}", name, attempt, event.type().wireName(), error.toString());
    return vertx.timer(config.retryBackoff().toMillis() * attempt)
        .compose(v -> applyOnce(event, handler, attempt + 1));
  }

  /** Answers whether the event was fresh (and so applied) rather than a duplicate. */
  private Future<Boolean> claimAndHandle(SqlConnection tx, EventEnvelope event, EventHandler handler) {
    return claim(tx, event).compose(fresh -> fresh
        ? lockAhead.lock(tx, List.of(event)).compose(v -> handler.handle(tx, event)).map(true)
        : Future.succeededFuture(false));
  }

  private Future<Boolean> claim(SqlConnection tx, EventEnvelope event) {
    return tx.preparedQuery(CLAIM).execute(Tuple.of(name, event.eventId(), event.type().wireName(), event.aggregateId()))
        .map(rows -> rows.rowCount() == 1);
  }

  private void countOutcome(EventEnvelope event, boolean applied) {
    LogContext context = LogContext.of(name, event.correlationId()).order(event.aggregateId()).event(event.eventId());
    if (applied) {
      processed.incrementAndGet();
      processedMeter.increment();
      context.debug(LOG, "{} applied {}", name, event.type().wireName());
    } else {
      duplicates.incrementAndGet();
      duplicatesMeter.increment();
      context.debug(LOG, "{} skipped duplicate {}", name, event.type().wireName());
    }
  }

  /** Offsets only move forward here: a batch's last offsets follow the earlier batches' of the partition. */
  private Future<Void> toCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    uncommitted.putAll(offsets);
    return Future.succeededFuture();
  }

  private Future<Void> commitIfDue() {
    boolean due = System.nanoTime() - lastCommitNanos >= config.offsetCommitInterval().toNanos();
    return due ? commitUncommitted() : Future.succeededFuture();
  }

  private Future<Void> commitUncommitted() {
    lastCommitNanos = System.nanoTime();
    if (uncommitted.isEmpty() || aborted) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(uncommitted);
    uncommitted.clear();
    return commitGate.beforeCommit(offsets)
        .compose(v -> aborted ? Future.succeededFuture() : consumer.commit(offsets))
        .<Void>mapEmpty()
        .recover(error -> {
          LOG.warn("consumer {} could not commit {}: {}", name, offsets.keySet(), error.toString());
          keepForNextCommit(offsets);
          return Future.succeededFuture();
        });
  }

  /**
   * Offsets whose commit failed are tried again with the next one, or an idle partition would keep its
   * old commit until records came again (and a restart would redeliver all of them). Offsets of later
   * batches gathered meanwhile stay. A partition the group takes away is dropped from them by the revoke
   * handler: revocations arrive during a poll, and this loop never polls while a commit is under way.
   */
  private void keepForNextCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(uncommitted::putIfAbsent);
  }

  /** Seeks every partition of a failed batch back to its first record that was not applied. */
  private Future<Void> rewind(Map<TopicPartition, Long> firstOffsets, Map<TopicPartition, OffsetAndMetadata> done) {
    return Future.all(firstOffsets.entrySet().stream()
            .map(e -> consumer.seek(e.getKey(), done.containsKey(e.getKey()) ? done.get(e.getKey()).getOffset() : e.getValue()))
            .toList())
        .mapEmpty();
  }
}
