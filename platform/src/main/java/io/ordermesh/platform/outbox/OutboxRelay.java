package io.ordermesh.platform.outbox;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.OutboxConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.logging.FailureStreak;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one schema's outbox to Kafka in id order and deletes what Kafka acknowledged.
 *
 * <p>Exactly one relay per schema is active in a cluster: the one whose dedicated connection holds
 * the schema's advisory lock. While active it listens on the event bus for the wake-up that
 * {@link Outbox#append} sends when a transaction with events commits, so an event is published right
 * after its commit from whichever node wrote it; a timer is the fallback for a lost wake-up and the
 * way a standby relay retries the lock. Delivery is at least once: a crash between send and delete
 * republishes, and consumers drop the duplicate by event id.
 *
 * <p>The leader's connection commits its deletes asynchronously ({@code synchronous_commit = off}):
 * a delete that a database crash takes back only republishes what was sent, which the same rule
 * covers, so the relay need not wait for a WAL flush before its next batch.
 */
public final class OutboxRelay {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /** Lock retry intervals a relay that gave its lock up waits before it tries again, for a standby to lead. */
  private static final int STANDBY_TURNS = 2;
  private static final String COUNT_BACKLOG = "SELECT count(*) AS n FROM outbox";
  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext($1)) AS locked";
  private static final String NEXT_BATCH = """
      SELECT id, event_id, topic, record_key, event_type, event_version, correlation_id, payload, created_at, traceparent
      FROM outbox ORDER BY id LIMIT $1""";
  private static final String DELETE_SENT = "DELETE FROM outbox WHERE id = ANY($1)";
  /** Names every outbox column: a column added to the outbox is added to outbox_refused and here too. */
  private static final String MOVE_REFUSED = """
      WITH refused AS (DELETE FROM outbox WHERE id = ANY($1) RETURNING *)
      INSERT INTO outbox_refused (id, event_id, topic, record_key, event_type, event_version, correlation_id,
                                  payload, created_at, traceparent, reason)
      SELECT r.id, r.event_id, r.topic, r.record_key, r.event_type, r.event_version, r.correlation_id,
             r.payload, r.created_at, r.traceparent, why.reason
      FROM refused r JOIN unnest($1::bigint[], $2::text[]) AS why(id, reason) ON why.id = r.id""";
  private static final String DELETES_NEED_NO_FLUSH = "SET synchronous_commit = off";

  private final Vertx vertx;
  private final Database db;
  private final KafkaProducer<String, String> producer;
  private final OutboxConfig config;
  private final SendGate sendGate;
  private final Duration batchDeadline;
  private final AtomicLong backlog = new AtomicLong();
  private final Timer publishLag;
  private final Counter refusedCount;

  private PgConnection leader;
  private MessageConsumer<Object> wakeUps;
  private boolean connecting;
  private boolean draining;
  private boolean drainAgain;
  private boolean stopped;
  /** No attempt to lead before this {@link System#nanoTime()}: a standby's retry interval, or a hold-off. */
  private long leadNotBefore;
  private final FailureStreak streak;
  /** Set while this relay closes its own connection after a hung batch: that loss is no news. */
  private boolean givingUp;
  private long timerId = -1;
  private Future<Void> currentDrain = Future.succeededFuture();

  /**
   * Runs between "Kafka acknowledged the batch's rows" (the ids given) and "they are deleted from the
   * outbox". Production passes {@link SendGate#OPEN}; crash tests hold it shut and {@link #abort()}.
   */
  @FunctionalInterface
  public interface SendGate {
    SendGate OPEN = ids -> Future.succeededFuture();

    Future<Void> afterSend(List<Long> outboxIds);
  }

  public OutboxRelay(Vertx vertx, Database db, KafkaProducer<String, String> producer, OutboxConfig config) {
    this(vertx, db, producer, config, SendGate.OPEN);
  }

  public OutboxRelay(Vertx vertx, Database db, KafkaProducer<String, String> producer, OutboxConfig config,
      SendGate sendGate) {
    this(vertx, db, producer, config, sendGate, Defaults.OUTBOX_BATCH_DEADLINE);
  }

  /** @param batchDeadline how long a batch may take before the relay gives up its leadership */
  public OutboxRelay(Vertx vertx, Database db, KafkaProducer<String, String> producer, OutboxConfig config,
      SendGate sendGate, Duration batchDeadline) {
    this.sendGate = sendGate;
    this.batchDeadline = batchDeadline;
    Gauge.builder("ordermesh.outbox.backlog", backlog, AtomicLong::get).tag("schema", db.schema())
        .description("Outbox rows not yet published (sampled by every node's relay, leader or standby)")
        .register(Metrics.registry());
    Gauge.builder("ordermesh.outbox.relay.active", this, relay -> relay.isLeader() ? 1 : 0).tag("schema", db.schema())
        .description("1 while this node's relay publishes the schema's outbox: the sum over nodes should be 1")
        .register(Metrics.registry());
    this.publishLag = Timer.builder("ordermesh.outbox.publish.lag").tag("schema", db.schema())
        .description("From commit of the outbox row to Kafka's acknowledgement").publishPercentileHistogram()
        .register(Metrics.registry());
    this.refusedCount = Counter.builder("ordermesh.outbox.refused").tag("schema", db.schema())
        .description("Outbox rows Kafka refused for good, moved to outbox_refused").register(Metrics.registry());
    this.vertx = vertx;
    this.db = db;
    this.producer = producer;
    this.config = config;
    this.streak = new FailureStreak(LOG, "outbox relay for " + db.schema(), Defaults.FAILURE_REPORT_INTERVAL);
  }

  /** Tries to become the active relay now, and keeps trying (or polling, once active) on a timer. */
  public Future<Void> start() {
    timerId = vertx.setPeriodic(config.pollInterval().toMillis(), id -> tick());
    return tryToLead().recover(error -> {
      LOG.warn("outbox relay for {} could not connect yet: {}", db.schema(), String.valueOf(error));
      return Future.succeededFuture();
    });
  }

  /** True while this relay holds the advisory lock of its schema. */
  public boolean isLeader() {
    return leader != null;
  }

  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    return stopListening().eventually(() -> currentDrain)
        .eventually(() -> leader == null ? Future.succeededFuture() : leader.close());
  }

  /** Drops leadership at once without deleting what was sent, as a crash would; a standby takes over. */
  public Future<Void> abort() {
    stopped = true;
    vertx.cancelTimer(timerId);
    PgConnection conn = leader;
    leader = null;
    stopListening();
    return conn == null ? Future.succeededFuture() : conn.close();
  }

  private void tick() {
    if (leader != null) {
      sampleBacklog(leader);
      drain();
      return;
    }
    // A standby reads the backlog too: a leader that is stuck, frozen or gone shows as rows that grow
    // on every node, not only on the node that cannot report.
    sampleBacklog(db.pool());
    if (System.nanoTime() - leadNotBefore >= 0) {
      // A standby's attempt is a new connection and a login; the poll interval would be too often.
      tryToLead();
    }
  }

  private void sampleBacklog(SqlClient client) {
    client.query(COUNT_BACKLOG).execute()
        .onSuccess(rows -> backlog.set(rows.iterator().next().getLong("n")))
        .onFailure(error -> LOG.debug("outbox backlog of {} not read: {}", db.schema(), error.toString()));
  }

  /** The rows this relay last saw waiting, leader or standby. */
  long backlogSeen() {
    return backlog.get();
  }

  private Future<Void> tryToLead() {
    if (stopped || connecting || leader != null) {
      return Future.succeededFuture();
    }
    connecting = true;
    leadNotBefore = System.nanoTime() + config.lockRetryInterval().toNanos();
    return PgConnection.connect(vertx, db.connectOptions())
        .compose(this::lockOrClose)
        .onComplete(ar -> connecting = false);
  }

  private Future<Void> lockOrClose(PgConnection conn) {
    return conn.preparedQuery(TRY_LOCK).execute(Tuple.of("outbox:" + db.schema()))
        .map(rows -> rows.iterator().next().getBoolean("locked"))
        // A relay stopped while it was connecting must not lead: nothing would close it or publish.
        .compose(locked -> locked && !stopped ? lead(conn) : conn.close())
        // A connection that took the lock and then failed would hold it, leading nobody, until it dies.
        .onFailure(error -> conn.close());
  }

  private Future<Void> lead(PgConnection conn) {
    return conn.query(DELETES_NEED_NO_FLUSH).execute()
        .compose(v -> endSessionWhenFrozen(conn))
        .compose(v -> listen(conn));
  }

  /**
   * A leader queries its connection every poll. One that stops (its process frozen: stopped, swapped
   * out, paused in a VM) would keep the lock for as long as it stays frozen, since its kernel still
   * answers the keepalives, and no standby could publish. PostgreSQL ends a session idle for
   * {@link Defaults#OUTBOX_LEADER_IDLE_POLLS} polls (at least {@link Defaults#OUTBOX_LEADER_MIN_IDLE}),
   * and with it the lock. Servers before 14 do not know the setting: there only a dead process or path
   * frees the lock, as before.
   */
  private Future<Void> endSessionWhenFrozen(PgConnection conn) {
    Duration idle = config.pollInterval().multipliedBy(Defaults.OUTBOX_LEADER_IDLE_POLLS);
    long idleMs = Math.max(idle.toMillis(), Defaults.OUTBOX_LEADER_MIN_IDLE.toMillis());
    return conn.query("SET idle_session_timeout = " + idleMs).execute().<Void>mapEmpty()
        .recover(error -> {
          LOG.info("outbox relay for {}: the server cannot end a frozen leader's session ({})", db.schema(),
              error.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<Void> listen(PgConnection conn) {
    // A connection given up after a hung batch may have been closed already, its handler never run.
    givingUp = false;
    conn.closeHandler(v -> {
      leader = null;
      stopListening();
      if (!stopped && !givingUp) {
        LOG.warn("outbox relay for {} lost its connection; it or another node's relay will take over", db.schema());
      }
      givingUp = false;
    });
    leader = conn;
    wakeUps = vertx.eventBus().consumer(Outbox.wakeAddress(db.schema()), message -> drain());
    return wakeUps.completion()
        .onSuccess(v -> {
          LOG.info("outbox relay for {} is active on this node", db.schema());
          drain();
        });
  }

  private Future<Void> stopListening() {
    MessageConsumer<Object> consumer = wakeUps;
    wakeUps = null;
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Publishes until the outbox is empty; wake-ups during a drain make it go round once more. */
  private void drain() {
    if (stopped || leader == null) {
      return;
    }
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    drainAgain = false;
    PgConnection conn = leader;
    currentDrain = publishBatch(conn)
        .timeout(batchDeadline.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(error -> {
          if (error instanceof TimeoutException) {
            giveUpLeadership(conn);
          } else {
            streak.failed(error);
          }
        })
        .onSuccess(full -> streak.succeeded())
        .transform(ar -> {
          draining = false;
          boolean more = ar.succeeded() && (ar.result() || drainAgain);
          if (more) {
            drain();
          }
          return Future.<Void>succeededFuture();
        });
  }

  /**
   * A batch that hangs (a query on a connection whose path to PostgreSQL broke without a reset) would
   * hold the schema's lock, and its events, for as long as the connection lives. Closing the connection
   * ends the session, and so the lock: at once when PostgreSQL hears of it, else when its keepalives
   * give up on the connection (Database asks for them: ~25 s). What was sent and not deleted is sent
   * again by the next leader (consumers drop the copies). This relay waits two of a standby's lock retry
   * intervals before it tries again itself, so a standby on a healthy node leads; when there is none
   * (one node, or a database stall that held every node's batches alike) it leads again at once rather
   * than leaving the outbox unpublished for another deadline, while the sagas behind it time out.
   */
  private void giveUpLeadership(PgConnection conn) {
    LOG.warn("outbox relay for {}: a batch took over {} s; closing its connection so that a standby can lead",
        db.schema(), batchDeadline.toSeconds());
    leadNotBefore = System.nanoTime() + config.lockRetryInterval().multipliedBy(STANDBY_TURNS).toNanos();
    givingUp = true;
    conn.close();
  }

  /** One batch: read, send all, delete what was sent. Answers whether the batch was full. */
  private Future<Boolean> publishBatch(PgConnection conn) {
    return conn.preparedQuery(NEXT_BATCH).execute(Tuple.of(config.batchSize()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false) : send(conn, rows));
  }

  /**
   * Sends the batch and waits for every answer. Rows Kafka refused for good are moved aside whatever
   * happened to the others (they can never be sent, and a broker that rejects one record of a producer
   * batch fails its neighbours too, which then go through once it is gone). If any send failed for a
   * transient reason (the producer's own retries spent), nothing else is deleted: the batch goes again
   * from its head and consumers drop what they had already. Otherwise the acknowledged rows are deleted.
   */
  private Future<Boolean> send(PgConnection conn, RowSet<Row> rows) {
    List<Row> batch = new ArrayList<>(rows.size());
    List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
    for (Row row : rows) {
      batch.add(row);
      KafkaProducerRecord<String, String> record = toRecord(row);
      sends.add(fitsTheDlq(record) ? producer.send(record) : Future.failedFuture(new RecordTooLargeException(
          "the event is over the " + Defaults.MAX_EVENT_BYTES + " bytes an event may have (room is kept for the"
              + " headers of a DLQ copy)")));
    }
    return Future.join(sends).transform(answered -> settle(conn, batch, sends))
        .map(v -> batch.size() == config.batchSize());
  }

  private Future<Void> settle(PgConnection conn, List<Row> batch, List<Future<RecordMetadata>> sends) {
    List<Row> sent = new ArrayList<>(batch.size());
    List<Refusal> refused = new ArrayList<>();
    Throwable transientFailure = null;
    for (int i = 0; i < batch.size(); i++) {
      Throwable failure = sends.get(i).cause();
      if (failure == null) {
        sent.add(batch.get(i));
      } else if (refusedForGood(failure)) {
        refused.add(new Refusal(batch.get(i), failure));
      } else if (transientFailure == null) {
        transientFailure = failure;
      }
    }
    Future<Void> movedAside = moveAside(conn, refused);
    if (transientFailure != null) {
      Throwable failure = transientFailure;
      return movedAside.transform(ar -> Future.failedFuture(failure));
    }
    List<Long> sentIds = sent.stream().map(row -> row.getLong("id")).toList();
    return movedAside
        .compose(v -> sendGate.afterSend(sentIds))
        .compose(v -> conn.preparedQuery(DELETE_SENT).execute(Tuple.of(sentIds.toArray(Long[]::new))))
        .onSuccess(deleted -> sent.forEach(row -> publishLag.record(
            Duration.between(row.getOffsetDateTime("created_at").toInstant(), Instant.now()))))
        .mapEmpty();
  }

  /**
   * Errors Kafka gives for the record itself, which no retry changes: too large for the producer, a
   * topic name Kafka cannot have, a record the broker rejects. Left in the outbox, such a row would be
   * sent again, head of every batch, for ever, and nothing behind it would be published. Authorisation
   * and broker failures are not on this list: they are fixed outside and then publish. (A topic whose
   * size limit is below the producer's may also make the producer resend a batch until its delivery
   * timeout: that reaches here as a timeout, transient, and waits for the topic; docs/operations.md.)
   */
  private static boolean refusedForGood(Throwable failure) {
    // Not RecordBatchTooLargeException: it is about a producer batch, which may hold rows that are fine.
    return failure instanceof RecordTooLargeException
        || failure instanceof InvalidTopicException
        || failure instanceof InvalidRecordException
        || failure instanceof SerializationException;
  }

  private Future<Void> moveAside(PgConnection conn, List<Refusal> refused) {
    if (refused.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] ids = refused.stream().map(r -> r.row().getLong("id")).toArray(Long[]::new);
    String[] reasons = refused.stream().map(Refusal::reason).toArray(String[]::new);
    return conn.preparedQuery(MOVE_REFUSED).execute(Tuple.of(ids, (Object) reasons)).onSuccess(moved -> {
      refusedCount.increment(refused.size());
      refused.forEach(r -> LogContext.of(db.schema(), r.row().getString("correlation_id"))
          .event(r.row().getUUID("event_id"))
          .error(LOG, "Kafka refused event {} ({} to {}) for good; moved to {}.outbox_refused: {}",
              r.row().getUUID("event_id"), r.row().getString("event_type"), r.row().getString("topic"),
              db.schema(), r.reason()));
    }).mapEmpty();
  }

  /** A row Kafka refused, and why. */
  private record Refusal(Row row, Throwable failure) {
    String reason() {
      return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
  }

  /**
   * Whether the record leaves room for the headers a DLQ copy adds ({@link Defaults#MAX_EVENT_BYTES}).
   * A char is at most three bytes of UTF-8, so most records are judged without encoding them.
   */
  static boolean fitsTheDlq(KafkaProducerRecord<String, String> record) {
    int chars = length(record.key()) + length(record.value());
    for (var header : record.headers()) {
      chars += header.key().length() + header.value().length();
    }
    if (chars * 3L <= Defaults.MAX_EVENT_BYTES) {
      return true;
    }
    long bytes = utf8(record.key()) + utf8(record.value());
    for (var header : record.headers()) {
      bytes += utf8(header.key()) + header.value().length();
    }
    return bytes <= Defaults.MAX_EVENT_BYTES;
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  private static long utf8(String text) {
    return text == null ? 0 : text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static KafkaProducerRecord<String, String> toRecord(Row row) {
    KafkaProducerRecord<String, String> record =
        KafkaProducerRecord.create(row.getString("topic"), row.getString("record_key"), row.getString("payload"));
    record.addHeader(EventHeaders.TYPE, row.getString("event_type"));
    record.addHeader(EventHeaders.VERSION, Integer.toString(row.getInteger("event_version")));
    record.addHeader(EventHeaders.CORRELATION_ID, row.getString("correlation_id"));
    if (row.getString("traceparent") != null) {
      record.addHeader(EventHeaders.TRACEPARENT, row.getString("traceparent"));
    }
    return record;
  }
}
