package io.ordermesh.events.order;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** The order ended CANCELLED; participants release whatever they hold for it. */
public record OrderCancelled(UUID orderId, String customerId, CancellationReason reason) implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.ORDER_CANCELLED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("reason", reason.name());
  }

  public static OrderCancelled fromJson(JsonObject json) {
    return new OrderCancelled(
        UUID.fromString(json.getString("orderId")),
        json.getString("customerId"),
        CancellationReason.valueOf(json.getString("reason")));
  }
}
