package io.ordermesh.platform.inbox;

import io.ordermesh.events.EventEnvelope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * Locks, in one statement and in one global order, the shared rows a transaction's handlers are about
 * to write, before any of them runs.
 *
 * <p>Each handler statement locks its own rows in order, but a poll's transaction runs many statements:
 * a grouped reservation locks SKU-1 and SKU-2, then a lane's cancellation locks SKU-3. Another node's
 * consumer of the same group, on other partitions, may take SKU-3 first and then want SKU-1: PostgreSQL
 * breaks the cycle after its deadlock timeout by failing one transaction, whose poll is then applied
 * record by record. Correct, but a stall of a second or more on both nodes under exactly the load that
 * makes it likely. Taking every shared row up front, sorted, makes such cycles impossible: later
 * statements find the rows already theirs.
 *
 * <p>The consumer calls it after claiming the inbox rows, with the events that are fresh (a duplicate
 * touches nothing), for a whole poll and for each record applied alone. Rows a handler only inserts, or
 * that belong to one order (whose events share a partition, so one consumer), need no lock here.
 */
@FunctionalInterface
public interface LockAhead {

  /** For handlers whose transactions share no rows with other consumers' transactions. */
  LockAhead NONE = (tx, events) -> Future.succeededFuture();

  Future<Void> lock(SqlConnection tx, List<EventEnvelope> events);
}
