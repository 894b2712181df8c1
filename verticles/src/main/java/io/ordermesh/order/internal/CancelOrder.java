package io.ordermesh.order.internal;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@code orders.cancel}: the customer (or an admin) cancels a PENDING or CONFIRMED order; the
 * participants compensate on {@code OrderCancelled}. Cancelling a cancelled order changes nothing and
 * answers the same, so clients may retry.
 */
public final class CancelOrder {

  private final Database db;
  private final OrderRepository orders;
  private final OrderLifecycle lifecycle;

  public CancelOrder(Database db, OrderRepository orders, OrderLifecycle lifecycle) {
    this.db = db;
    this.orders = orders;
    this.lifecycle = lifecycle;
  }

  public Future<JsonObject> handle(Message<JsonObject> message) {
    Caller caller = Caller.of(message);
    UUID orderId = parse(message.body());
    return db.pool().withTransaction(tx -> orders.lock(tx, orderId).compose(found -> {
      var order = found.filter(o -> caller.mayAccess(o.customerId()))
          .orElseThrow(() -> Failure.NOT_FOUND.exception("no order " + orderId));
      if (order.status() == OrderStatus.CANCELLED) {
        return Future.succeededFuture();
      }
      return lifecycle.cancel(tx, order, CancellationReason.CANCELLED_BY_CUSTOMER, caller.correlationId(), null,
          caller.traceparent());
    })).map(v -> new JsonObject().put("orderId", orderId.toString()).put("status", OrderStatus.CANCELLED.name()));
  }

  private static UUID parse(JsonObject body) {
    try {
      return UUID.fromString(body.getString("orderId"));
    } catch (RuntimeException e) {
      throw Failure.NOT_FOUND.exception("no such order");
    }
  }
}
