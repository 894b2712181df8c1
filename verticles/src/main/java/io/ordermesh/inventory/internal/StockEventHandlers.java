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
import io.ordermesh.platform.inbox.GroupedEventHandler;
import io.ordermesh.platform.inbox.LockAhead;
import io.ordermesh.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

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

  /** Placements and confirmations that lead their lanes are applied a poll's worth at a time. */
  public Map<EventType, EventHandler> handlers() {
    return Map.of(
        EventType.ORDER_PLACED, GroupedEventHandler.of(this::onOrderPlaced, this::onOrdersPlaced),
        EventType.ORDER_CONFIRMED, GroupedEventHandler.of(this::onOrdersConfirmed),
        EventType.ORDER_CANCELLED, this::onOrderCancelled);
  }

  /**
   * Every handler decides only on its order's own rows: a placement's check of the stock happens in
   * the same statement as the reservation ({@link InventoryRepository#reserveAll}), and confirmations
   * and cancellations move stock by relative amounts. So orders go side by side even when they want
   * the same skus.
   */
  public ConflictKeys conflictKeys() {
    return ConflictKeys.BY_AGGREGATE;
  }

  /**
   * Several statements of one transaction move products (a poll's placements, then a cancellation in a
   * lane; a cancellation alone releases and returns), and another node's consumer may move the same
   * products in another order: they are all locked first, in sku order. A lone placement or confirmation
   * needs no such lock: its one statement takes its products in sku order already.
   */
  public LockAhead lockAhead() {
    return (tx, events) -> {
      if (events.size() == 1 && events.get(0).type() != EventType.ORDER_CANCELLED) {
        return Future.succeededFuture();
      }
      Set<String> placedSkus = new HashSet<>();
      List<UUID> settledOrders = new ArrayList<>();
      for (EventEnvelope event : events) {
        switch (event.type()) {
          case ORDER_PLACED -> OrderPlaced.fromJson(event.data()).lines().forEach(line -> placedSkus.add(line.sku()));
          case ORDER_CONFIRMED -> settledOrders.add(OrderConfirmed.fromJson(event.data()).orderId());
          case ORDER_CANCELLED -> settledOrders.add(OrderCancelled.fromJson(event.data()).orderId());
          default -> { }
        }
      }
      return inventory.lockProducts(tx, placedSkus, settledOrders);
    };
  }

  /** One statement reserves (with the reservation rows) or refuses; the event is one more. */
  private Future<Void> onOrderPlaced(SqlConnection tx, EventEnvelope event) {
    OrderPlaced order = OrderPlaced.fromJson(event.data());
    Map<String, Integer> wanted = quantitiesBySku(order.lines());
    return inventory.reserveAll(tx, order.orderId(), wanted).compose(prices -> prices.isEmpty()
        ? rejectUnlessDecided(tx, event, order, wanted)
        : reserved(tx, event, order, wanted, prices));
  }

  /**
   * Independent placements (no two of one order) reserved in one statement when the stock serves them
   * all; the orders it leaves out (cancelled, reserved already, unknown skus), or all of them when their
   * sum does not fit,
   * are decided one by one, in turn, as if each led a lane of its own.
   */
  private Future<Void> onOrdersPlaced(SqlConnection tx, List<EventEnvelope> events) {
    List<OrderPlaced> orders = events.stream().map(event -> OrderPlaced.fromJson(event.data())).toList();
    Map<UUID, Map<String, Integer>> wanted = new LinkedHashMap<>();
    orders.forEach(order -> wanted.put(order.orderId(), quantitiesBySku(order.lines())));
    return inventory.reserveTogether(tx, wanted).compose(reserved -> {
      List<Future<Void>> outcomes = new ArrayList<>(orders.size());
      for (int i = 0; i < orders.size(); i++) {
        OrderPlaced order = orders.get(i);
        Map<String, BigDecimal> prices = reserved.get(order.orderId());
        outcomes.add(prices == null
            ? onOrderPlaced(tx, events.get(i))
            : reserved(tx, events.get(i), order, wanted.get(order.orderId()), prices));
      }
      return Future.join(outcomes).mapEmpty();
    });
  }

  private Future<Void> reserved(SqlConnection tx, EventEnvelope event, OrderPlaced order, Map<String, Integer> wanted,
      Map<String, BigDecimal> prices) {
    List<PricedLine> priced = order.lines().stream()
        .map(l -> new PricedLine(l.sku(), l.quantity(), prices.get(l.sku())))
        .toList();
    StockReserved outcome = new StockReserved(order.orderId(), order.customerId(), priced, PricedLine.total(priced));
    return Outbox.append(tx, wrap(outcome, event)).mapEmpty();
  }

  /**
   * Nothing was reserved: the order was cancelled first, or reserved already (a placement applied again
   * once the inbox has forgotten it: its answer went out then), with nothing to say either way; or some
   * skus are unknown or short.
   */
  private Future<Void> rejectUnlessDecided(SqlConnection tx, EventEnvelope event, OrderPlaced order,
      Map<String, Integer> wanted) {
    Future<Boolean> decided = inventory.isDecided(tx, order.orderId());
    Future<Map<String, StockRow>> stock = inventory.stockOf(tx, List.copyOf(wanted.keySet()));
    return Future.join(decided, stock).compose(both -> decided.result()
        ? Future.succeededFuture()
        : Outbox.append(tx, wrap(rejection(order, wanted, stock.result()), event)).mapEmpty());
  }

  private static StockRejected rejection(OrderPlaced order, Map<String, Integer> wanted, Map<String, StockRow> stock) {
    List<String> unknown = wanted.keySet().stream().filter(sku -> !stock.containsKey(sku)).toList();
    if (!unknown.isEmpty()) {
      return new StockRejected(order.orderId(), order.customerId(), CancellationReason.UNKNOWN_SKU, unknown);
    }
    List<String> short_ = wanted.entrySet().stream()
        .filter(e -> stock.get(e.getKey()).available() < e.getValue())
        .map(Map.Entry::getKey)
        .toList();
    // Empty when stock came back (another order released it) between the refusal and this read: the
    // refusal stands, and every wanted sku was part of it.
    return new StockRejected(order.orderId(), order.customerId(), CancellationReason.OUT_OF_STOCK,
        short_.isEmpty() ? List.copyOf(wanted.keySet()) : short_);
  }

  private Future<Void> onOrdersConfirmed(SqlConnection tx, List<EventEnvelope> events) {
    return inventory.commitToSoldTogether(tx,
        events.stream().map(event -> OrderConfirmed.fromJson(event.data()).orderId()).toList());
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
