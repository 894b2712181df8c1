package io.ordermesh.user.internal;

import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.DomainEvent;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.events.customer.CreditRejected;
import io.ordermesh.events.customer.CreditReserved;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.platform.inbox.ConflictKeys;
import io.ordermesh.platform.inbox.EventHandler;
import io.ordermesh.platform.inbox.LockAhead;
import io.ordermesh.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The user's side of the saga. {@code StockReserved} (inventory.v1) and {@code OrderCancelled}
 * (orders.v1) race on different topics: whichever comes first decides, through the order's row in
 * {@code credit_reservations}, what the other one does.
 */
public final class CreditEventHandlers {

  private final CustomerRepository customers;
  private final CustomerViews views;

  public CreditEventHandlers(CustomerRepository customers, CustomerViews views) {
    this.customers = customers;
    this.views = views;
  }

  public Map<EventType, EventHandler> handlers() {
    return Map.of(
        EventType.STOCK_RESERVED, this::onStockReserved,
        EventType.ORDER_CONFIRMED, this::onOrderConfirmed,
        EventType.ORDER_CANCELLED, this::onOrderCancelled);
  }

  /**
   * A stock reservation decides on the customer's available credit, so reservations of one customer
   * share a lane; everything else decides only on the order's own reservation row (a release or a
   * capture changes credit by a relative amount).
   */
  public ConflictKeys conflictKeys() {
    return event -> event.type() == EventType.STOCK_RESERVED
        ? List.of(event.aggregateId(), "customer:" + StockReserved.fromJson(event.data()).customerId())
        : List.of(event.aggregateId());
  }

  /**
   * A poll's statements each lock one customer, in poll order, and another node's consumer holds the
   * same customers' orders on other partitions: the customers are locked first, in id order. A
   * transaction of one event skips the statement: the customer is the first row it locks (a reservation
   * locks it before writing the order's row; a cancellation writes the order's row, which no other
   * consumer of the group writes, before it), so it can wait but never hold what another waits for.
   */
  public LockAhead lockAhead() {
    return (tx, events) -> {
      if (events.size() == 1) {
        return Future.succeededFuture();
      }
      Set<String> customerIds = new HashSet<>();
      for (EventEnvelope event : events) {
        switch (event.type()) {
          case STOCK_RESERVED -> customerIds.add(StockReserved.fromJson(event.data()).customerId());
          case ORDER_CONFIRMED -> customerIds.add(OrderConfirmed.fromJson(event.data()).customerId());
          case ORDER_CANCELLED -> customerIds.add(OrderCancelled.fromJson(event.data()).customerId());
          default -> { }
        }
      }
      return customers.lockCustomers(tx, customerIds);
    };
  }

  /** The happy path (credit held, event appended) is one statement; a refusal is recorded as VOID. */
  private Future<Void> onStockReserved(SqlConnection tx, EventEnvelope event) {
    StockReserved stock = StockReserved.fromJson(event.data());
    EventEnvelope reserved = wrap(new CreditReserved(stock.orderId(), stock.customerId(), stock.total()), event);
    return customers.reserve(tx, stock.orderId(), stock.customerId(), stock.total(), reserved)
        .compose(outcome -> switch (outcome) {
          case RESERVED -> {
            views.changedWhenCommitted(tx, stock.customerId());
            yield Future.<Void>succeededFuture();
          }
          case ALREADY_DECIDED -> Future.<Void>succeededFuture();
          case UNKNOWN_CUSTOMER -> reject(tx, event, stock, CancellationReason.UNKNOWN_CUSTOMER);
          case CREDIT_LIMIT_EXCEEDED -> reject(tx, event, stock, CancellationReason.CREDIT_LIMIT_EXCEEDED);
        });
  }

  private Future<Void> reject(SqlConnection tx, EventEnvelope event, StockReserved stock, CancellationReason reason) {
    return customers.markVoid(tx, stock.orderId(), stock.customerId())
        .compose(marked -> !marked
            ? Future.succeededFuture()
            : Outbox.append(tx, wrap(new CreditRejected(stock.orderId(), stock.customerId(), reason), event))
                .mapEmpty());
  }

  private Future<Void> onOrderConfirmed(SqlConnection tx, EventEnvelope event) {
    OrderConfirmed confirmed = OrderConfirmed.fromJson(event.data());
    return customers.captureReserved(tx, confirmed.orderId());
  }

  private Future<Void> onOrderCancelled(SqlConnection tx, EventEnvelope event) {
    OrderCancelled cancelled = OrderCancelled.fromJson(event.data());
    return customers.markVoid(tx, cancelled.orderId(), cancelled.customerId())
        .compose(voided -> voided ? Future.succeededFuture() : releaseReserved(tx, event, cancelled.orderId()));
  }

  /**
   * The order had a reservation row (written before, or by a racing StockReserved that just committed:
   * this statement's snapshot sees it, the void marker's could not).
   */
  private Future<Void> releaseReserved(SqlConnection tx, EventEnvelope event, UUID orderId) {
    return customers.releaseHeld(tx, orderId).compose(released -> {
      if (released.isEmpty()) {
        return Future.succeededFuture();
      }
      views.changedWhenCommitted(tx, released.get().customerId());
      return Outbox.append(tx, wrap(released.get(), event)).mapEmpty();
    });
  }

  private static EventEnvelope wrap(DomainEvent event, EventEnvelope cause) {
    return EventEnvelope.causedBy(event, UserAddresses.SERVICE, cause);
  }
}
