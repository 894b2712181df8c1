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
import io.ordermesh.platform.inbox.ConflictKeys;
import io.ordermesh.platform.inbox.EventHandler;
import io.ordermesh.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
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

  /**
   * A placement decides on the stock of its skus, so placements that share a sku share a lane;
   * confirmations and cancellations decide only on the order's own reservations (they move stock by
   * relative amounts).
   */
  public ConflictKeys conflictKeys() {
    return event -> {
      if (event.type() != EventType.ORDER_PLACED) {
        return List.of(event.aggregateId());
      }
      List<String> keys = new ArrayList<>();
      keys.add(event.aggregateId());
      OrderPlaced.fromJson(event.data()).lines().forEach(line -> keys.add("sku:" + line.sku()));
      return keys;
    };
  }

  /**
   * The cancellation check and the stock lock go out together, and so do the reservation and its
   * event: two round trips per placement instead of five (the lock is harmless when the order turns
   * out to be cancelled).
   */
  private Future<Void> onOrderPlaced(SqlConnection tx, EventEnvelope event) {
    OrderPlaced order = OrderPlaced.fromJson(event.data());
    Map<String, Integer> wanted = quantitiesBySku(order.lines());
    Future<Boolean> cancelled = inventory.isCancelled(tx, order.orderId());
    Future<Map<String, StockRow>> stock = inventory.lockProducts(tx, List.copyOf(wanted.keySet()));
    return Future.join(cancelled, stock).compose(both -> cancelled.result()
        ? Future.succeededFuture()
        : reserveAllOrNone(tx, event, order, wanted, stock.result()));
  }

  private Future<Void> reserveAllOrNone(SqlConnection tx, EventEnvelope event, OrderPlaced order,
      Map<String, Integer> wanted, Map<String, StockRow> stock) {
    DomainEvent outcome = decide(order, wanted, stock);
    Future<?> appended = Outbox.append(tx, wrap(outcome, event));
    if (!(outcome instanceof StockReserved)) {
      return appended.mapEmpty();
    }
    return Future.join(inventory.reserve(tx, order.orderId(), wanted, stock), appended).mapEmpty();
  }

  /** Every line reserved, or the first reason none can be: unknown skus, then short ones. */
  private static DomainEvent decide(OrderPlaced order, Map<String, Integer> wanted, Map<String, StockRow> stock) {
    List<String> unknown = wanted.keySet().stream().filter(sku -> !stock.containsKey(sku)).toList();
    if (!unknown.isEmpty()) {
      return new StockRejected(order.orderId(), order.customerId(), CancellationReason.UNKNOWN_SKU, unknown);
    }
    List<String> short_ = wanted.entrySet().stream()
        .filter(e -> stock.get(e.getKey()).available() < e.getValue())
        .map(Map.Entry::getKey)
        .toList();
    if (!short_.isEmpty()) {
      return new StockRejected(order.orderId(), order.customerId(), CancellationReason.OUT_OF_STOCK, short_);
    }
    List<PricedLine> priced = order.lines().stream()
        .map(l -> new PricedLine(l.sku(), l.quantity(), stock.get(l.sku()).price()))
        .toList();
    return new StockReserved(order.orderId(), order.customerId(), priced, PricedLine.total(priced));
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
