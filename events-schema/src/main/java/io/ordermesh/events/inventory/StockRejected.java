package io.ordermesh.events.inventory;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** Not every line could be reserved, so none was; {@code unavailable} names the skus at fault. */
public record StockRejected(UUID orderId, String customerId, CancellationReason reason, List<String> unavailable)
    implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.STOCK_REJECTED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("reason", reason.name())
        .put("unavailable", new JsonArray(unavailable));
  }

  public static StockRejected fromJson(JsonObject json) {
    return new StockRejected(
        UUID.fromString(json.getString("orderId")),
        json.getString("customerId"),
        CancellationReason.valueOf(json.getString("reason")),
        json.getJsonArray("unavailable").stream().map(String.class::cast).toList());
  }
}
