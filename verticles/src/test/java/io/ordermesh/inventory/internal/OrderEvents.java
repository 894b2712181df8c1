package io.ordermesh.inventory.internal;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.events.order.OrderPlaced;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The order service's events as the inventory's tests feed them to its handlers. */
final class OrderEvents {

  private OrderEvents() {
  }

  /** A new order of alice's: {@code "SKU-1", 2, "SKU-2", 1} is two lines. */
  static EventEnvelope placed(Object... skusAndQuantities) {
    List<OrderLine> lines = new ArrayList<>();
    for (int i = 0; i < skusAndQuantities.length; i += 2) {
      lines.add(new OrderLine((String) skusAndQuantities[i], (Integer) skusAndQuantities[i + 1]));
    }
    return EventEnvelope.wrap(new OrderPlaced(UUID.randomUUID(), "alice", lines), "order", "corr", null);
  }

  /** The placed order confirmed, every line priced at {@code unitPrice}. */
  static EventEnvelope confirmed(EventEnvelope placed, BigDecimal unitPrice) {
    OrderPlaced order = OrderPlaced.fromJson(placed.data());
    List<PricedLine> priced = order.lines().stream().map(l -> new PricedLine(l.sku(), l.quantity(), unitPrice)).toList();
    return EventEnvelope.wrap(new OrderConfirmed(order.orderId(), order.customerId(), priced, PricedLine.total(priced)),
        "order", "corr", null);
  }

  static EventEnvelope cancelled(EventEnvelope placed) {
    OrderPlaced order = OrderPlaced.fromJson(placed.data());
    return EventEnvelope.wrap(new OrderCancelled(order.orderId(), order.customerId(), CancellationReason.TIMEOUT),
        "order", "corr", null);
  }

  static UUID orderOf(EventEnvelope placed) {
    return OrderPlaced.fromJson(placed.data()).orderId();
  }
}
