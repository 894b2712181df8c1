package io.ordermesh.platform.inbox;

import io.ordermesh.events.EventEnvelope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An {@link EventHandler} that can apply several records of one poll in one go, for effects that cost
 * the database less together than one by one (a hot row updated once for the group instead of once per
 * record, and its chain of row versions kept short).
 *
 * <p>The consumer hands it, together and in poll order, the records of its types that share no conflict
 * key with any earlier record of the poll ({@link ConflictKeys}): records that would each have led a
 * lane of their own, so nothing in the poll decides on what they decide on before them. The outcome
 * must be one that applying them side by side, each with {@link #handle}, could have had. A single
 * such record goes to {@link #handle}.
 */
public interface GroupedEventHandler extends EventHandler {

  Future<Void> handleAll(SqlConnection tx, List<EventEnvelope> events);

  /** A handler whose group statement serves a lone record too: it applies one record as a group of one. */
  static GroupedEventHandler of(BiFunction<SqlConnection, List<EventEnvelope>, Future<Void>> all) {
    return of((tx, event) -> all.apply(tx, List.of(event)), all);
  }

  /** A handler that applies one record with {@code one} and a group of them with {@code all}. */
  static GroupedEventHandler of(EventHandler one, BiFunction<SqlConnection, List<EventEnvelope>, Future<Void>> all) {
    return new GroupedEventHandler() {
      @Override
      public Future<Void> handle(SqlConnection tx, EventEnvelope event) {
        return one.handle(tx, event);
      }

      @Override
      public Future<Void> handleAll(SqlConnection tx, List<EventEnvelope> events) {
        return events.size() == 1 ? one.handle(tx, events.get(0)) : all.apply(tx, events);
      }
    };
  }
}
