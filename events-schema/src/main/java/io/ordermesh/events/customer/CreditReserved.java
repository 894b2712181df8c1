package io.ordermesh.events.customer;

import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Money;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.UUID;

/** The customer's credit holds {@code amount} for the order; the order can be confirmed. */
public record CreditReserved(UUID orderId, String customerId, BigDecimal amount) implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.CREDIT_RESERVED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("amount", Money.format(amount));
  }

  public static CreditReserved fromJson(JsonObject json) {
    return new CreditReserved(
        UUID.fromString(json.getString("orderId")),
        json.getString("customerId"),
        Money.parse(json.getString("amount")));
  }
}
