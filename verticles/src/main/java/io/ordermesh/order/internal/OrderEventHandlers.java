package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.customer.CreditRejected;
import io.ordermesh.events.customer.CreditReserved;
import io.ordermesh.events.inventory.StockRejected;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.order.internal.OrderRepository.OrderState;
import io.ordermesh.platform.inbox.EventHandler;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order's side of the saga. Stock and credit answers arrive on different topics, so in any
 * order: each one is recorded on the locked order row, and the order is confirmed when both
 * reservations are in, or cancelled on the first rejection. Events for an order that is already
 * terminal change nothing.
 */
public final class OrderEventHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(OrderEventHandlers.class);

  private final OrderRepository orders;
  private final OrderLifecycle lifecycle;

  public OrderEventHandlers(OrderRepository orders, OrderLifecycle lifecycle) {
    this.orders = orders;
    this.lifecycle = lifecycle;
  }

  public Map<EventType, EventHandler> handlers() {
    return Map.of(
        EventType.STOCK_RESERVED, this::onStockReserved,
        EventType.STOCK_REJECTED, this::onStockRejected,
        EventType.CREDIT_RESERVED, this::onCreditReserved,
        EventType.CREDIT_REJECTED, this::onCreditRejected);
  }

  private Future<Void> onStockReserved(SqlConnection tx, EventEnvelope event) {
    StockReserved reserved = StockReserved.fromJson(event.data());
    return whenPending(tx, event, reserved.orderId(), order -> order.stockReserved()
        ? Future.succeededFuture()
        : confirmIfReady(tx, event, order.withStockReserved(reserved.total()),
            orders.markStockReserved(tx, order.orderId(), reserved.lines(), reserved.total()),
            () -> Future.succeededFuture(reserved.lines())));
  }

  private Future<Void> onCreditReserved(SqlConnection tx, EventEnvelope event) {
    CreditReserved reserved = CreditReserved.fromJson(event.data());
    return whenPending(tx, event, reserved.orderId(), order -> order.creditReserved()
        ? Future.succeededFuture()
        : confirmIfReady(tx, event, order.withCreditReserved(), orders.markCreditReserved(tx, order.orderId()),
            () -> orders.pricedLines(tx, order.orderId())));
  }

  private Future<Void> onStockRejected(SqlConnection tx, EventEnvelope event) {
    StockRejected rejected = StockRejected.fromJson(event.data());
    return whenPending(tx, event, rejected.orderId(), order -> cancel(tx, event, order, rejected.reason()));
  }

  private Future<Void> onCreditRejected(SqlConnection tx, EventEnvelope event) {
    CreditRejected rejected = CreditRejected.fromJson(event.data());
    return whenPending(tx, event, rejected.orderId(), order -> cancel(tx, event, order, rejected.reason()));
  }

  /** Locks the order and applies {@code step} only while it is PENDING. */
  private Future<Void> whenPending(SqlConnection tx, EventEnvelope event, UUID orderId,
      Function<OrderState, Future<Void>> step) {
    return orders.lock(tx, orderId).compose(found -> {
      Optional<OrderState> order = found.filter(o -> !o.isTerminal());
      if (order.isEmpty()) {
        LogContext.of(OrderAddresses.SERVICE, event.correlationId()).order(orderId).event(event.eventId())
            .info(LOG, "{} for order {} ignored: order is {}", event.type().wireName(), orderId,
                found.map(o -> o.status().name()).orElse("unknown"));
        return Future.succeededFuture();
      }
      return step.apply(order.get());
    });
  }

  /**
   * The order's row is locked, so its state after {@code marked} is known without reading it again.
   * When both halves are in, its priced lines are read right behind the mark and the confirmation
   * (status, history, event) goes out in one more round trip.
   */
  private Future<Void> confirmIfReady(SqlConnection tx, EventEnvelope cause, OrderState order, Future<Void> marked,
      Supplier<Future<List<PricedLine>>> pricedLines) {
    if (!order.stockReserved() || !order.creditReserved()) {
      return marked;
    }
    Future<List<PricedLine>> lines = pricedLines.get();
    return Future.join(marked, lines).compose(v -> confirm(tx, cause, order, lines.result()));
  }

  private Future<Void> confirm(SqlConnection tx, EventEnvelope cause, OrderState order, List<PricedLine> lines) {
    return Future.join(orders.setStatus(tx, order.orderId(), OrderStatus.CONFIRMED, null),
            Outbox.append(tx, confirmed(cause, order, lines)))
        .onSuccess(v -> {
          SagaMetrics.ended(order, OrderStatus.CONFIRMED, null);
          LogContext.of(OrderAddresses.SERVICE, cause.correlationId()).order(order.orderId()).event(cause.eventId())
              .info(LOG, "order {} CONFIRMED", order.orderId());
        })
        .mapEmpty();
  }

  private Future<Void> cancel(SqlConnection tx, EventEnvelope cause, OrderState order, CancellationReason reason) {
    return lifecycle.cancel(tx, order, reason, cause.correlationId(), cause.eventId(), cause.traceparent());
  }

  private static EventEnvelope confirmed(EventEnvelope cause, OrderState order, List<PricedLine> lines) {
    return wrap(new OrderConfirmed(order.orderId(), order.customerId(), lines, order.total()), cause);
  }

  private static EventEnvelope wrap(io.ordermesh.events.DomainEvent event, EventEnvelope cause) {
    return EventEnvelope.causedBy(event, OrderAddresses.SERVICE, cause);
  }
}
