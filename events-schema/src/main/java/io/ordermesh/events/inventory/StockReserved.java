package io.ordermesh.events.inventory;

import io.ordermesh.events.OrderEvent;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Money;
import io.ordermesh.events.PricedLine;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** Every line of the order is reserved and priced; the user service reserves {@code total} next. */
public record StockReserved(UUID orderId, String customerId, List<PricedLine> lines, BigDecimal total)
    implements OrderEvent {

  @Override
  public EventType type() {
    return EventType.STOCK_RESERVED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("lines", PricedLine.toJson(lines))
        .put("total", Money.format(total));
  }

  public static StockReserved fromJson(JsonObject json) {
    return new StockReserved(
        UUID.fromString(json.getString("orderId")),
        json.getString("customerId"),
        PricedLine.listFrom(json.getJsonArray("lines")),
        Money.parse(json.getString("total")));
  }
}
