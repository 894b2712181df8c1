package io.ordermesh.platform.outbox;

import io.ordermesh.events.EventEnvelope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

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
  private static final String WAKE_PREFIX = "ordermesh.outbox.appended.";
  /** Transactions that already have their wake-up scheduled: a batch of many events sends one. */
  private static final Set<Transaction> WAKE_SCHEDULED = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));

  private Outbox() {
  }

  public static Future<EventEnvelope> append(SqlConnection tx, EventEnvelope event) {
    Tuple row = Tuple.of(
        event.eventId(),
        event.type().topic(),
        event.aggregateId(),
        event.type().wireName(),
        event.version(),
        event.correlationId(),
        event.toJson().encode(),
        event.traceparent());
    return tx.preparedQuery(INSERT).execute(row)
        .onSuccess(rows -> wakeRelayAfterCommit(tx, rows.iterator().next().getString("schema")))
        .map(event);
  }

  /** Where the active relay of {@code schema} listens for "something was appended". */
  static String wakeAddress(String schema) {
    return WAKE_PREFIX + schema;
  }

  private static void wakeRelayAfterCommit(SqlConnection tx, String schema) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return;
    }
    Vertx vertx = context.owner();
    Transaction transaction = tx.transaction();
    if (transaction == null) {
      vertx.eventBus().publish(wakeAddress(schema), null);
    } else if (WAKE_SCHEDULED.add(transaction)) {
      transaction.completion().onComplete(ar -> {
        WAKE_SCHEDULED.remove(transaction);
        if (ar.succeeded()) {
          vertx.eventBus().publish(wakeAddress(schema), null);
        }
      });
    }
  }
}
