package io.ordermesh.platform.inbox;

import io.ordermesh.events.EventEnvelope;
import java.util.Collection;
import java.util.List;

/**
 * Names what a handler decides on, so that a consumer can apply the records of one poll side by side.
 *
 * <p>A consumer applies a poll inside one transaction. Records are split into lanes: two records whose
 * keys overlap share a lane and are applied in poll order; lanes run concurrently, their statements
 * pipelined on the transaction's connection. PostgreSQL still executes one statement at a time, so
 * nothing can deadlock, but a handler that reads a row, decides in Java and then writes it would
 * decide on a stale value if another lane wrote that row in between. A handler's keys must therefore
 * name every row it reads to decide on (an order, a customer's credit, a product's stock); rows that
 * are only changed by relative updates ({@code x = x + n}) need no key.
 */
@FunctionalInterface
public interface ConflictKeys {

  /** Every record in one lane: the poll is applied strictly in order (the safe default). */
  ConflictKeys ONE_LANE = event -> List.of("");

  /** One lane per aggregate: for handlers that decide only on their aggregate's own rows. */
  ConflictKeys BY_AGGREGATE = event -> List.of(event.aggregateId());

  Collection<String> of(EventEnvelope event);
}
