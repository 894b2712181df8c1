package io.ordermesh.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;

/** An order line priced by inventory at reservation time. */
public record PricedLine(String sku, int quantity, BigDecimal unitPrice) {

  public BigDecimal amount() {
    return unitPrice.multiply(BigDecimal.valueOf(quantity));
  }

  public JsonObject toJson() {
    return new JsonObject().put("sku", sku).put("quantity", quantity).put("unitPrice", Money.format(unitPrice));
  }

  public static PricedLine fromJson(JsonObject json) {
    return new PricedLine(json.getString("sku"), json.getInteger("quantity"), Money.parse(json.getString("unitPrice")));
  }

  public static JsonArray toJson(List<PricedLine> lines) {
    return new JsonArray(lines.stream().map(PricedLine::toJson).toList());
  }

  public static List<PricedLine> listFrom(JsonArray json) {
    return json.stream().map(JsonObject.class::cast).map(PricedLine::fromJson).toList();
  }

  public static BigDecimal total(List<PricedLine> lines) {
    return Money.normalize(lines.stream().map(PricedLine::amount).reduce(Money.ZERO, BigDecimal::add));
  }
}
