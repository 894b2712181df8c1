package io.ordermesh.gateway;

import io.ordermesh.contracts.OrderAddresses;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code /api/v1/orders}: place, read and list orders. */
final class OrderRoutes {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
  private static final int MAX_KEY_LENGTH = 200;
  private static final int MAX_LINES = 100;
  private static final int MAX_QUANTITY = 1000;
  private static final int MAX_SKU_LENGTH = 64;
  private static final Set<String> ORDER_FIELDS = Set.of("lines");
  private static final Set<String> LINE_FIELDS = Set.of("sku", "quantity");
  private static final Set<String> STATUSES = Set.of("PENDING", "CONFIRMED", "CANCELLED");

  private final BusClient bus;
  private final OpenApiValidation openApi;
  private final OrderEventsStream events;

  OrderRoutes(BusClient bus, OpenApiValidation openApi, OrderEventsStream events) {
    this.bus = bus;
    this.openApi = openApi;
    this.events = events;
  }

  void mount(Router router) {
    // Our own checks run first: they name the offending field precisely; the contract check backs them up.
    router.post("/api/v1/orders").handler(this::validatePlacement).handler(openApi.operation("placeOrder"))
        .handler(this::place);
    router.get("/api/v1/orders").handler(openApi.operation("listOrders")).handler(this::list);
    router.get("/api/v1/orders/:id").handler(openApi.operation("getOrder")).handler(this::get);
    router.post("/api/v1/orders/:id/cancel").handler(openApi.operation("cancelOrder")).handler(this::cancel);
    router.get("/api/v1/orders/:id/events").handler(openApi.operation("orderEvents")).handler(events::handle);
  }

  private void validatePlacement(RoutingContext ctx) {
    placementKey(ctx);
    validLines(jsonBody(ctx));
    ctx.next();
  }

  private static String placementKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      throw HttpProblem.badRequest("the Idempotency-Key header is required (1.." + MAX_KEY_LENGTH + " characters)");
    }
    return key;
  }

  private void place(RoutingContext ctx) {
    String key = placementKey(ctx);
    JsonArray lines = validLines(jsonBody(ctx));
    bus.request(ctx, OrderAddresses.PLACE, new JsonObject().put("idempotencyKey", key).put("lines", lines))
        .onSuccess(placed -> {
          String orderId = placed.getString("orderId");
          if (placed.getBoolean("replayed", false)) {
            ctx.response().putHeader(IDEMPOTENT_REPLAYED, "true");
          }
          ctx.response()
              .setStatusCode(202)
              .putHeader(HttpHeaders.LOCATION, "/api/v1/orders/" + orderId)
              .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
              .end(new JsonObject().put("orderId", orderId).put("status", placed.getString("status")).encode());
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    bus.request(ctx, OrderAddresses.GET, new JsonObject().put("orderId", ctx.pathParam("id")))
        .onSuccess(order -> ctx.json(order))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    bus.request(ctx, OrderAddresses.CANCEL, new JsonObject().put("orderId", ctx.pathParam("id")))
        .onSuccess(cancelled -> ctx.response()
            .setStatusCode(202)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(cancelled.encode()))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    String status = ctx.queryParams().get("status");
    if (status != null) {
      if (!STATUSES.contains(status)) {
        throw HttpProblem.badRequest("status must be one of " + STATUSES);
      }
      query.put("status", status);
    }
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      query.put("limit", positiveInt("limit", limit));
    }
    bus.request(ctx, OrderAddresses.LIST, query).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      Object body = ctx.body().asJsonObject();
      if (body == null) {
        throw HttpProblem.badRequest("the body must be a JSON object");
      }
      return (JsonObject) body;
    } catch (RuntimeException e) {
      if (e instanceof HttpProblem problem) {
        throw problem;
      }
      throw HttpProblem.badRequest("the body must be a JSON object");
    }
  }

  private static JsonArray validLines(JsonObject order) {
    rejectUnknownFields(order, ORDER_FIELDS, "");
    if (!(order.getValue("lines") instanceof JsonArray lines) || lines.isEmpty() || lines.size() > MAX_LINES) {
      throw HttpProblem.badRequest("lines must be an array of 1.." + MAX_LINES + " lines");
    }
    for (int i = 0; i < lines.size(); i++) {
      if (!(lines.getValue(i) instanceof JsonObject line)) {
        throw HttpProblem.badRequest("lines[" + i + "] must be an object");
      }
      rejectUnknownFields(line, LINE_FIELDS, "lines[" + i + "].");
      if (!(line.getValue("sku") instanceof String sku) || sku.isBlank() || sku.length() > MAX_SKU_LENGTH) {
        throw HttpProblem.badRequest("lines[" + i + "].sku must be a string of 1.." + MAX_SKU_LENGTH + " characters");
      }
      if (!(line.getValue("quantity") instanceof Integer quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
        throw HttpProblem.badRequest("lines[" + i + "].quantity must be an integer in 1.." + MAX_QUANTITY);
      }
    }
    return lines;
  }

  private static void rejectUnknownFields(JsonObject json, Set<String> allowed, String prefix) {
    json.fieldNames().stream().filter(f -> !allowed.contains(f)).findFirst().ifPresent(f -> {
      throw HttpProblem.badRequest("unknown field " + prefix + f);
    });
  }

  private static int positiveInt(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the problem below
    }
    throw HttpProblem.badRequest(name + " must be a positive integer, but was " + value);
  }
}
