package io.ordermesh.order.internal;

import io.ordermesh.events.OrderLine;
import io.ordermesh.platform.bus.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A validated order placement. The service checks the contract itself (the gateway does too): a
 * request on the bus may come from anywhere in the cluster.
 */
public record PlaceOrderRequest(String idempotencyKey, List<OrderLine> lines) {

  public static final int MAX_LINES = 100;
  public static final int MIN_QUANTITY = 1;
  public static final int MAX_QUANTITY = 1000;
  public static final int MAX_SKU_LENGTH = 64;
  public static final int MAX_KEY_LENGTH = 200;

  public static PlaceOrderRequest from(JsonObject body) {
    if (body == null) {
      throw Failure.BAD_REQUEST.exception("request body is missing");
    }
    String key = body.getValue("idempotencyKey") instanceof String s ? s : null;
    if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      throw Failure.BAD_REQUEST.exception("idempotencyKey must be 1.." + MAX_KEY_LENGTH + " characters");
    }
    return new PlaceOrderRequest(key, lines(body.getValue("lines")));
  }

  private static List<OrderLine> lines(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_LINES) {
      throw Failure.BAD_REQUEST.exception("lines must be an array of 1.." + MAX_LINES + " lines");
    }
    List<OrderLine> lines = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      lines.add(line(array.getValue(i), i));
    }
    return List.copyOf(lines);
  }

  private static OrderLine line(Object value, int index) {
    if (!(value instanceof JsonObject line)) {
      throw Failure.BAD_REQUEST.exception("lines[" + index + "] must be an object");
    }
    Object sku = line.getValue("sku");
    Object quantity = line.getValue("quantity");
    if (!(sku instanceof String s) || s.isBlank() || s.length() > MAX_SKU_LENGTH) {
      throw Failure.BAD_REQUEST.exception("lines[" + index + "].sku must be a string of 1.." + MAX_SKU_LENGTH);
    }
    if (!(quantity instanceof Integer q) || q < MIN_QUANTITY || q > MAX_QUANTITY) {
      throw Failure.BAD_REQUEST.exception(
          "lines[" + index + "].quantity must be an integer in " + MIN_QUANTITY + ".." + MAX_QUANTITY);
    }
    return new OrderLine(s, q);
  }

  /** What identifies "the same request" for an idempotency key: a digest of the lines as given. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(OrderLine.toJson(lines).encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
