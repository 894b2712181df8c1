package io.ordermesh.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One line of an order as the customer asked for it. */
public record OrderLine(String sku, int quantity) {

  public JsonObject toJson() {
    return new JsonObject().put("sku", sku).put("quantity", quantity);
  }

  public static OrderLine fromJson(JsonObject json) {
    return new OrderLine(json.getString("sku"), json.getInteger("quantity"));
  }

  public static JsonArray toJson(List<OrderLine> lines) {
    return new JsonArray(lines.stream().map(OrderLine::toJson).toList());
  }

  public static List<OrderLine> listFrom(JsonArray json) {
    return json.stream().map(JsonObject.class::cast).map(OrderLine::fromJson).toList();
  }
}
