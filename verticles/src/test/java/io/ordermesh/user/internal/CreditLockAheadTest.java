package io.ordermesh.user.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.platform.db.Database;
import io.ordermesh.testing.RowLocks;
import io.ordermesh.testing.MigratedSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the user service's consumer locks before its handlers run, seen from another connection on real
 * PostgreSQL: the customers of the transaction's events, so two nodes' transactions take them in one
 * order; a transaction of one event needs no statement for it.
 */
class CreditLockAheadTest {

  private static final List<String> CUSTOMERS = List.of("alice", "bob", "carol", "dave");
  private static final List<PricedLine> LINES = List.of(new PricedLine("SKU-1", 1, new BigDecimal("5.00")));
  private static final String LOCKED_NOWAIT = "SELECT id FROM customers WHERE id = $1 FOR UPDATE NOWAIT";

  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("users", "db/user");
  private Vertx vertx;
  private Database db;

  @BeforeEach
  void migrate() {
    vertx = schema.vertx();
    db = schema.db();
    JsonArray customers = new JsonArray();
    CUSTOMERS.forEach(id -> customers.add(new JsonObject().put("id", id).put("name", id)
        .put("email", id + "@example.com").put("creditLimit", "100.00")));
    join(new CustomerRepository().seed(db.pool(), new JsonObject().put("customers", customers)));
  }


  @Test
  void locksTheCustomersOfEveryKindOfEventBeforeAnyHandlerRuns() {
    List<EventEnvelope> events = List.of(stockReserved("carol"), confirmed("alice"), cancelled("bob"), cancelled("bob"));

    assertThat(lockedWhileLockingAheadFor(events)).containsExactly("alice", "bob", "carol");
  }

  @Test
  void locksNothingAheadForATransactionOfOneEvent() {
    assertThat(lockedWhileLockingAheadFor(List.of(stockReserved("dave")))).isEmpty();
    assertThat(lockedWhileLockingAheadFor(List.of(stockReserved("dave"), cancelled("dave")))).containsExactly("dave");
  }

  private Set<String> lockedWhileLockingAheadFor(List<EventEnvelope> events) {
    CreditEventHandlers handlers = new CreditEventHandlers(new CustomerRepository(), null);
    return join(db.pool().withTransaction(tx -> handlers.lockAhead().lock(tx, events).compose(v -> lockedCustomers())));
  }

  /** The customers another connection cannot lock at once. */
  private Future<Set<String>> lockedCustomers() {
    return RowLocks.heldAmong(db.pool(), LOCKED_NOWAIT, CUSTOMERS);
  }

  private static EventEnvelope stockReserved(String customer) {
    return EventEnvelope.wrap(new StockReserved(UUID.randomUUID(), customer, LINES, PricedLine.total(LINES)),
        "inventory", "corr", null);
  }

  private static EventEnvelope confirmed(String customer) {
    return EventEnvelope.wrap(new OrderConfirmed(UUID.randomUUID(), customer, LINES, PricedLine.total(LINES)),
        "order", "corr", null);
  }

  private static EventEnvelope cancelled(String customer) {
    return EventEnvelope.wrap(new OrderCancelled(UUID.randomUUID(), customer, CancellationReason.TIMEOUT),
        "order", "corr", null);
  }
}
