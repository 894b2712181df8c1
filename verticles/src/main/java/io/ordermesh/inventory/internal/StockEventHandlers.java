package io.ordermesh.inventory.internal;

import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.DomainEvent;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.inventory.StockRejected;
import io.ordermesh.events.inventory.StockReleased;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.events.order.OrderPlaced;
import io.ordermesh.inventory.internal.InventoryRepository.StockRow;
import io.ordermesh.platform.inbox.EventHandler;
import io.ordermesh.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inventory's side of the saga: reserve every line of a placed order or none, commit reserved stock
 * to sold on confirmation, give back reserved or sold stock on cancellation. One order's events share
 * a partition of {@code orders.v1}, so they normally arrive in the order they happened; a cancelled
 * order is remembered all the same, so a placement replayed after its cancellation reserves nothing.
 */
public final class StockEventHandlers {

  private final InventoryRepository inventory;

  public StockEventHandlers(InventoryRepository inventory) {
    this.inventory = inventory;
  }

  public Map<EventType, EventHandler> handlers() {
    return Map.of(
        EventType.ORDER_PLACED, this::onOrderPlaced,
        EventType.ORDER_CONFIRMED, this::onOrderConfirmed,
        EventType.ORDER_CANCELLED, this::onOrderCancelled);
  }

  private Future<Void> onOrderPlaced(SqlConnection tx, EventEnvelope event) {
    OrderPlaced order = OrderPlaced.fromJson(event.data());
    return inventory.isCancelled(tx, order.orderId())
        .compose(cancelled -> cancelled ? Future.succeededFuture() : reserve(tx, event, order));
  }

  private Future<Void> reserve(SqlConnection tx, EventEnvelope event, OrderPlaced order) {
    Map<String, Integer> wanted = quantitiesBySku(order.lines());
    return inventory.lockProducts(tx, List.copyOf(wanted.keySet()))
        .compose(stock -> reserveAllOrNone(tx, order, wanted, stock))
        .compose(outcome -> Outbox.append(tx, wrap(outcome, event)))
        .mapEmpty();
  }

  private Future<DomainEvent> reserveAllOrNone(SqlConnection tx, OrderPlaced order, Map<String, Integer> wanted,
      Map<String, StockRow> stock) {
    List<String> unknown = wanted.keySet().stream().filter(sku -> !stock.containsKey(sku)).toList();
    if (!unknown.isEmpty()) {
      return Future.succeededFuture(
          new StockRejected(order.orderId(), order.customerId(), CancellationReason.UNKNOWN_SKU, unknown));
    }
    List<String> short_ = wanted.entrySet().stream()
        .filter(e -> stock.get(e.getKey()).available() < e.getValue())
        .map(Map.Entry::getKey)
        .toList();
    if (!short_.isEmpty()) {
      return Future.succeededFuture(
          new StockRejected(order.orderId(), order.customerId(), CancellationReason.OUT_OF_STOCK, short_));
    }
    List<PricedLine> priced = order.lines().stream()
        .map(l -> new PricedLine(l.sku(), l.quantity(), stock.get(l.sku()).price()))
        .toList();
    return inventory.reserve(tx, order.orderId(), wanted, stock)
        .map(new StockReserved(order.orderId(), order.customerId(), priced, PricedLine.total(priced)));
  }

  private Future<Void> onOrderConfirmed(SqlConnection tx, EventEnvelope event) {
    OrderConfirmed confirmed = OrderConfirmed.fromJson(event.data());
    return inventory.commitToSold(tx, confirmed.orderId()).mapEmpty();
  }

  private Future<Void> onOrderCancelled(SqlConnection tx, EventEnvelope event) {
    OrderCancelled cancelled = OrderCancelled.fromJson(event.data());
    Map<String, Integer> released = new TreeMap<>();
    return inventory.markCancelled(tx, cancelled.orderId())
        .compose(v -> inventory.release(tx, cancelled.orderId()))
        .onSuccess(released::putAll)
        .compose(v -> inventory.returnSold(tx, cancelled.orderId()))
        .onSuccess(sold -> sold.forEach((sku, n) -> released.merge(sku, n, Integer::sum)))
        .compose(v -> released.isEmpty()
            ? Future.succeededFuture()
            : Outbox.append(tx, wrap(new StockReleased(cancelled.orderId(), lines(released)), event)).mapEmpty());
  }

  /** One reservation per sku, however often the order names it; sorted, so locks are taken in order. */
  private static Map<String, Integer> quantitiesBySku(List<OrderLine> lines) {
    Map<String, Integer> bySku = new TreeMap<>();
    lines.forEach(l -> bySku.merge(l.sku(), l.quantity(), Integer::sum));
    return bySku;
  }

  private static List<OrderLine> lines(Map<String, Integer> quantities) {
    return new TreeMap<>(quantities).entrySet().stream().map(e -> new OrderLine(e.getKey(), e.getValue())).toList();
  }

  private static EventEnvelope wrap(DomainEvent event, EventEnvelope cause) {
    return EventEnvelope.causedBy(event, InventoryAddresses.SERVICE, cause);
  }
}
