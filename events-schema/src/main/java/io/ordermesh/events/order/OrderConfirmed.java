package io.ordermesh.events.order;

import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Money;
import io.ordermesh.events.PricedLine;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** Stock and credit are both reserved: inventory commits stock to sold, user captures the credit. */
public record OrderConfirmed(UUID orderId, String customerId, List<PricedLine> lines, BigDecimal total)
    implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.ORDER_CONFIRMED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("lines", PricedLine.toJson(lines))
        .put("total", Money.format(total));
  }

  public static OrderConfirmed fromJson(JsonObject json) {
    return new OrderConfirmed(
        UUID.fromString(json.getString("orderId")),
        json.getString("customerId"),
        PricedLine.listFrom(json.getJsonArray("lines")),
        Money.parse(json.getString("total")));
  }
}
