package io.ordermesh.events.customer;

import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Money;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.UUID;

/** Compensation: credit reserved for a cancelled order is available again. */
public record CreditReleased(UUID orderId, String customerId, BigDecimal amount) implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.CREDIT_RELEASED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("amount", Money.format(amount));
  }

  public static CreditReleased fromJson(JsonObject json) {
    return new CreditReleased(
        UUID.fromString(json.getString("orderId")),
        json.getString("customerId"),
        Money.parse(json.getString("amount")));
  }
}
