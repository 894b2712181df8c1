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
import io.ordermesh.order.internal.OrderRepository.CreditMarked;
import io.ordermesh.order.internal.OrderRepository.OrderState;
import io.ordermesh.order.internal.OrderRepository.StockReservation;
import io.ordermesh.platform.inbox.EventHandler;
import io.ordermesh.platform.inbox.GroupedEventHandler;
import io.ordermesh.platform.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
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

  /** Reservations that lead their lanes are recorded a poll's worth at a time, one statement per kind. */
  public Map<EventType, EventHandler> handlers() {
    return Map.of(
        EventType.STOCK_RESERVED, GroupedEventHandler.of(this::onStocksReserved),
        EventType.STOCK_REJECTED, this::onStockRejected,
        EventType.CREDIT_RESERVED, GroupedEventHandler.of(this::onCreditsReserved),
        EventType.CREDIT_REJECTED, this::onCreditRejected);
  }

  /**
   * Stock reservations of different orders (the consumer groups only records of different orders; a
   * lone record comes as a group of one), marked in one statement; this decides what follows for each.
   */
  private Future<Void> onStocksReserved(SqlConnection tx, List<EventEnvelope> events) {
    List<StockReserved> reserved = events.stream().map(event -> StockReserved.fromJson(event.data())).toList();
    List<StockReservation> reservations = reserved.stream()
        .map(r -> new StockReservation(r.orderId(), r.lines(), r.total()))
        .toList();
    return orders.markStockReserved(tx, reservations).compose(before -> Future.join(
            IntStream.range(0, events.size())
                .mapToObj(i -> afterStockMarked(tx, events.get(i), reserved.get(i),
                    Optional.ofNullable(before.get(reserved.get(i).orderId()))))
                .toList())
        .mapEmpty());
  }

  private Future<Void> afterStockMarked(SqlConnection tx, EventEnvelope event, StockReserved reserved,
      Optional<OrderState> before) {
    return whenPending(event, reserved.orderId(), before, order -> order.stockReserved()
        ? Future.succeededFuture()
        : confirmIfReady(tx, event, order.withStockReserved(reserved.total()), reserved.lines()));
  }

  private Future<Void> onCreditsReserved(SqlConnection tx, List<EventEnvelope> events) {
    List<UUID> orderIds = events.stream().map(event -> CreditReserved.fromJson(event.data()).orderId()).toList();
    return orders.markCreditReserved(tx, orderIds).compose(marked -> Future.join(
            IntStream.range(0, events.size())
                .mapToObj(i -> afterCreditMarked(tx, events.get(i), orderIds.get(i),
                    Optional.ofNullable(marked.get(orderIds.get(i)))))
                .toList())
        .mapEmpty());
  }

  private Future<Void> afterCreditMarked(SqlConnection tx, EventEnvelope event, UUID orderId,
      Optional<CreditMarked> marked) {
    return whenPending(event, orderId, marked.map(CreditMarked::before), order -> order.creditReserved()
        ? Future.succeededFuture()
        : confirmIfReady(tx, event, order.withCreditReserved(), marked.get().pricedLines()));
  }

  private Future<Void> onStockRejected(SqlConnection tx, EventEnvelope event) {
    StockRejected rejected = StockRejected.fromJson(event.data());
    return orders.lock(tx, rejected.orderId())
        .compose(found -> whenPending(event, rejected.orderId(), found, order -> cancel(tx, event, order, rejected.reason())));
  }

  private Future<Void> onCreditRejected(SqlConnection tx, EventEnvelope event) {
    CreditRejected rejected = CreditRejected.fromJson(event.data());
    return orders.lock(tx, rejected.orderId())
        .compose(found -> whenPending(event, rejected.orderId(), found, order -> cancel(tx, event, order, rejected.reason())));
  }

  /** Applies {@code step} to the locked order (as it was before the event) only if it was PENDING. */
  private static Future<Void> whenPending(EventEnvelope event, UUID orderId, Optional<OrderState> found,
      Function<OrderState, Future<Void>> step) {
    Optional<OrderState> order = found.filter(o -> !o.isTerminal());
    if (order.isEmpty()) {
      LogContext.of(OrderAddresses.SERVICE, event.correlationId()).order(orderId).event(event.eventId())
          .info(LOG, "{} for order {} ignored: order is {}", event.type().wireName(), orderId,
              found.map(o -> o.status().name()).orElse("unknown"));
      return Future.succeededFuture();
    }
    return step.apply(order.get());
  }

  /**
   * The order's row is locked and its reservation recorded, so its state now is known without reading
   * it again. When both halves are in, the confirmation (status, history, event) is one more statement.
   */
  private Future<Void> confirmIfReady(SqlConnection tx, EventEnvelope cause, OrderState order, List<PricedLine> lines) {
    if (!order.stockReserved() || !order.creditReserved()) {
      return Future.succeededFuture();
    }
    return confirm(tx, cause, order, lines);
  }

  private Future<Void> confirm(SqlConnection tx, EventEnvelope cause, OrderState order, List<PricedLine> lines) {
    return orders.confirm(tx, order.orderId(), confirmed(cause, order, lines))
        .onSuccess(confirmedNow -> {
          if (confirmedNow) {
            lifecycle.confirmed(tx, order, cause);
          }
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
