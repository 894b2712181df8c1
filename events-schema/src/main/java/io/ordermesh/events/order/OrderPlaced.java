package io.ordermesh.events.order;

import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.ordermesh.events.OrderLine;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** An order was stored PENDING; inventory reserves its lines next. */
public record OrderPlaced(UUID orderId, String customerId, List<OrderLine> lines) implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.ORDER_PLACED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("lines", OrderLine.toJson(lines));
  }

  public static OrderPlaced fromJson(JsonObject json) {
    return new OrderPlaced(
        UUID.fromString(json.getString("orderId")),
        json.getString("customerId"),
        OrderLine.listFrom(json.getJsonArray("lines")));
  }
}
