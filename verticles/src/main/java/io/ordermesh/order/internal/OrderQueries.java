package io.ordermesh.order.internal;

import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.UUID;

/** {@code orders.get} and {@code orders.list}: reads, scoped to the caller unless the caller is an admin. */
public final class OrderQueries {

  public static final int DEFAULT_LIST_LIMIT = 20;
  public static final int MAX_LIST_LIMIT = 100;

  private final Database db;
  private final OrderRepository orders;

  public OrderQueries(Database db, OrderRepository orders) {
    this.db = db;
    this.orders = orders;
  }

  /** Someone else's order is NOT_FOUND, exactly like a missing one: existence is not leaked. */
  public Future<JsonObject> get(Message<JsonObject> message) {
    Caller caller = Caller.of(message);
    UUID orderId = orderId(message.body());
    return orders.view(db.pool(), orderId)
        .map(found -> found
            .filter(order -> caller.mayAccess(order.getString("customerId")))
            .orElseThrow(() -> Failure.NOT_FOUND.exception("no order " + orderId)));
  }

  public Future<JsonObject> list(Message<JsonObject> message) {
    Caller caller = Caller.of(message);
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    return orders.listByCustomer(db.pool(), caller.principal(), status(body), limit(body))
        .map(list -> new JsonObject().put("orders", list));
  }

  /** {@code orders.sagas}: admin only (served with {@code serveAdmin}), across customers. */
  public Future<JsonObject> sagas(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    return orders.inFlight(db.pool(), body.getBoolean("stuck", false), limit(body));
  }

  private static UUID orderId(JsonObject body) {
    try {
      return UUID.fromString(body.getString("orderId"));
    } catch (RuntimeException e) {
      throw Failure.NOT_FOUND.exception("no such order");
    }
  }

  private static OrderStatus status(JsonObject body) {
    String status = body.getString("status");
    if (status == null) {
      return null;
    }
    return Arrays.stream(OrderStatus.values()).filter(s -> s.name().equals(status)).findFirst()
        .orElseThrow(() -> Failure.BAD_REQUEST.exception(
            "status must be one of " + Arrays.toString(OrderStatus.values()) + ", but was " + status));
  }

  private static int limit(JsonObject body) {
    Object limit = body.getValue("limit", DEFAULT_LIST_LIMIT);
    if (!(limit instanceof Integer n) || n < 1 || n > MAX_LIST_LIMIT) {
      throw Failure.BAD_REQUEST.exception("limit must be an integer in 1.." + MAX_LIST_LIMIT);
    }
    return n;
  }
}
