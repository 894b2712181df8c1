package io.ordermesh.order.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.customer.CreditReserved;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderPlaced;
import io.ordermesh.platform.config.OrdermeshConfig.SagaConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.inbox.EventHandler;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The order service's side of the saga on a real, migrated schema, as its consumer runs it: one
 * customer's orders of the same priced lines placed, and the other services' answers for them applied
 * through the service's own handlers.
 */
final class OrderSagaSteps {

  static final String CUSTOMER = "alice";

  private final Database db;
  private final OrderRepository orders;
  private final OrderLifecycle lifecycle;
  private final Map<EventType, EventHandler> handlers;
  private final List<OrderLine> lines;
  private final List<PricedLine> priced;
  private final BigDecimal total;

  OrderSagaSteps(Database db, StatusFeed statusFeed, List<PricedLine> priced) {
    this.db = db;
    this.orders = new OrderRepository(new SagaConfig(Duration.ofMinutes(5)));
    this.lifecycle = new OrderLifecycle(orders, statusFeed);
    this.handlers = new OrderEventHandlers(orders, lifecycle).handlers();
    this.priced = priced;
    this.lines = priced.stream().map(line -> new OrderLine(line.sku(), line.quantity())).toList();
    this.total = priced.stream().map(PricedLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Places an order of the lines, as the order service does on a client's POST; answers its id. */
  UUID place() {
    UUID orderId = UUID.randomUUID();
    EventEnvelope placed = EventEnvelope.wrap(new OrderPlaced(orderId, CUSTOMER, lines), "order", "corr", null);
    assertThat(join(orders.place(db.pool(), orderId, CUSTOMER, new PlaceOrderRequest("key-" + orderId, lines),
        "corr", placed))).isTrue();
    return orderId;
  }

  OrderRepository orders() {
    return orders;
  }

  OrderLifecycle lifecycle() {
    return lifecycle;
  }

  EventHandler handler(EventType type) {
    return handlers.get(type);
  }

  /** Applies one record in a transaction of its own. */
  void apply(EventType type, EventEnvelope event) {
    join(db.pool().withTransaction(tx -> handler(type).handle(tx, event)));
  }

  EventEnvelope stockReserved(UUID orderId) {
    return EventEnvelope.wrap(new StockReserved(orderId, CUSTOMER, priced, total), "inventory", "corr", null);
  }

  EventEnvelope creditReserved(UUID orderId) {
    return EventEnvelope.wrap(new CreditReserved(orderId, CUSTOMER, total), "user", "corr", null);
  }
}
