package io.ordermesh.platform.outbox;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.platform.db.AfterCommit;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Appends events to the service's outbox inside the caller's transaction, so an event exists if and
 * only if the state change it announces committed.
 *
 * <p>When that transaction commits, the schema's active relay is woken over the event bus (wherever in
 * the cluster it runs) and publishes at once. A wake-up that is lost costs only latency: the relay
 * also polls. PostgreSQL's NOTIFY would do the same from a trigger, but a transaction that notifies
 * takes a database-wide lock at commit and holds it through its WAL flush, which serialises every
 * committing writer and defeats group commit: under load that lock, not the work, set the pace.
 */
public final class Outbox {

  private static final String INSERT = """
      INSERT INTO outbox (event_id, topic, record_key, event_type, event_version, correlation_id, payload, traceparent)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING current_schema() AS schema""";
  /**
   * The event's step of a {@link #withAppend} statement: parameters typed here because the values of
   * an {@code INSERT ... SELECT} list are not inferred from the target columns.
   */
  private static final String APPEND_STEP = """
      ,
      appended AS (
        INSERT INTO outbox (event_id, topic, record_key, event_type, event_version, correlation_id, payload, traceparent)
        SELECT $%1$d::uuid, $%2$d::text, $%3$d::text, $%4$d::text, $%5$d::int, $%6$d::text, $%7$d::text, $%8$d::text
        FROM %9$s LIMIT 1
        RETURNING current_schema() AS schema)
      SELECT (SELECT schema FROM appended) AS schema%10$s""";
  private static final String WAKE_PREFIX = "ordermesh.outbox.appended.";
  /** Relays to wake when the transaction that appended commits: a batch of many events sends one wake-up. */
  private static final AfterCommit.Gathered<RelayWake> WAKE_AFTER_COMMIT =
      AfterCommit.gathered(wakes -> wakes.stream().distinct().forEach(RelayWake::send));

  private Outbox() {
  }

  public static Future<EventEnvelope> append(SqlConnection tx, EventEnvelope event) {
    return tx.preparedQuery(INSERT).execute(eventParameters(Tuple.tuple(), event))
        .onSuccess(rows -> wakeRelayAfterCommit(tx, rows.iterator().next().getString("schema")))
        .map(event);
  }

  /**
   * A statement that runs {@code steps}, the caller's own {@code WITH} queries (parameters
   * {@code $1..$stepParameters}), and appends one event when the step named {@code gate} returned a
   * row. A change and its event then commit as one autocommit statement: one round trip, where a
   * transaction takes a BEGIN, the statements and a COMMIT. Build it once; run it with
   * {@link #appendWith}.
   */
  public static String withAppend(String steps, String gate, int stepParameters) {
    return withAppend(steps, gate, stepParameters, "");
  }

  /**
   * {@link #withAppend(String, String, int)} whose result row also has {@code columns} (a select list
   * over the steps, such as {@code (SELECT balance FROM account) AS balance}): what the caller needs
   * to decide when the gate returned no row. Read them from {@link #appendWithin}'s row.
   */
  public static String withAppend(String steps, String gate, int stepParameters, String columns) {
    int first = stepParameters + 1;
    return steps + APPEND_STEP.formatted(first, first + 1, first + 2, first + 3, first + 4, first + 5, first + 6,
        first + 7, gate, columns.isEmpty() ? "" : ", " + columns);
  }

  /**
   * Runs a statement of {@link #withAppend} on its own (a pool: never inside a transaction, whose
   * commit is still to come when the relay would be woken) and wakes the relay when it appended;
   * answers whether it did (whether the gate step returned a row).
   */
  public static Future<Boolean> appendWith(Pool pool, String statement, Tuple stepParameters, EventEnvelope event) {
    return pool.preparedQuery(statement).execute(eventParameters(stepParameters, event)).map(rows -> {
      Row row = rows.iterator().next();
      if (appended(row)) {
        wakeRelay(row.getString("schema"));
      }
      return appended(row);
    });
  }

  /**
   * Runs a statement of {@link #withAppend} inside the caller's transaction; the relay is woken when
   * that transaction commits. Answers the statement's row: {@link #appended} says whether the event
   * was appended (whether the gate step returned a row), the caller's columns follow.
   */
  public static Future<Row> appendWithin(SqlConnection tx, String statement, Tuple stepParameters,
      EventEnvelope event) {
    return tx.preparedQuery(statement).execute(eventParameters(stepParameters, event)).map(rows -> {
      Row row = rows.iterator().next();
      if (appended(row)) {
        wakeRelayAfterCommit(tx, row.getString("schema"));
      }
      return row;
    });
  }

  /** Whether the statement whose row this is appended its event. */
  public static boolean appended(Row row) {
    return row.getString("schema") != null;
  }

  private static Tuple eventParameters(Tuple parameters, EventEnvelope event) {
    return parameters
        .addValue(event.eventId())
        .addValue(event.type().topic())
        .addValue(event.aggregateId())
        .addValue(event.type().wireName())
        .addValue(event.version())
        .addValue(event.correlationId())
        .addValue(event.toJson().encode())
        .addValue(event.traceparent());
  }

  /** Where the active relay of {@code schema} listens for "something was appended". */
  static String wakeAddress(String schema) {
    return WAKE_PREFIX + schema;
  }

  /** Wakes the relay now: the caller's statement committed on its own. */
  private static void wakeRelay(String schema) {
    Context context = Vertx.currentContext();
    if (context != null) {
      wake(context.owner(), schema);
    }
  }

  private static void wakeRelayAfterCommit(SqlConnection tx, String schema) {
    Context context = Vertx.currentContext();
    if (context != null) {
      WAKE_AFTER_COMMIT.add(tx, new RelayWake(context.owner(), schema));
    }
  }

  /** A wake-up for the active relay of {@code schema}, sent on {@code vertx}'s event bus. */
  private record RelayWake(Vertx vertx, String schema) {

    void send() {
      wake(vertx, schema);
    }
  }

  private static void wake(Vertx vertx, String schema) {
    vertx.eventBus().publish(wakeAddress(schema), null);
  }
}
