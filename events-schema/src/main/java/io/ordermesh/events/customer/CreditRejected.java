package io.ordermesh.events.customer;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** The customer is unknown or lacks the credit; the order will be cancelled and its stock released. */
public record CreditRejected(UUID orderId, String customerId, CancellationReason reason) implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.CREDIT_REJECTED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("reason", reason.name());
  }

  public static CreditRejected fromJson(JsonObject json) {
    return new CreditRejected(
        UUID.fromString(json.getString("orderId")),
        json.getString("customerId"),
        CancellationReason.valueOf(json.getString("reason")));
  }
}
