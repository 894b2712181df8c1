package io.ordermesh.platform.inbox;

import io.ordermesh.events.EventEnvelope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Applies one event inside the consumer's transaction. The inbox row is already written in the same
 * transaction, so the effect happens once per event id however often Kafka delivers it. Business
 * outcomes (a rejection) are events appended to the outbox, not failures; a failed future means
 * "try again", and after the last attempt the record goes to the DLQ.
 *
 * <p>Handlers of unrelated records run side by side on the same transaction ({@link ConflictKeys}):
 * a handler may decide in Java only on rows its record's conflict keys name, and must not leave a
 * statement running after its future completes.
 */
@FunctionalInterface
public interface EventHandler {

  Future<Void> handle(SqlConnection tx, EventEnvelope event);
}
