package io.ordermesh.platform.outbox;

import io.ordermesh.events.EventEnvelope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Appends events to the service's outbox inside the caller's transaction, so an event exists if and
 * only if the state change it announces committed.
 */
public final class Outbox {

  private static final String INSERT = """
      INSERT INTO outbox (event_id, topic, record_key, event_type, event_version, correlation_id, payload, traceparent)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

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
    return tx.preparedQuery(INSERT).execute(row).map(event);
  }
}
