package io.ordermesh.events.inventory;

import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.ordermesh.events.OrderLine;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** Compensation: the stock reserved for a cancelled order is available again. */
public record StockReleased(UUID orderId, List<OrderLine> lines) implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.STOCK_RELEASED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("orderId", orderId.toString()).put("lines", OrderLine.toJson(lines));
  }

  public static StockReleased fromJson(JsonObject json) {
    return new StockReleased(UUID.fromString(json.getString("orderId")), OrderLine.listFrom(json.getJsonArray("lines")));
  }
}
