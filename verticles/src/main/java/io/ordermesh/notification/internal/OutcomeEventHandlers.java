package io.ordermesh.notification.internal;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.platform.inbox.EventHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.Map;

/** Turns each order outcome into one notification row for the customer. */
public final class OutcomeEventHandlers {

  private final NotificationRepository notifications;

  public OutcomeEventHandlers(NotificationRepository notifications) {
    this.notifications = notifications;
  }

  public Map<EventType, EventHandler> handlers() {
    return Map.of(
        EventType.ORDER_CONFIRMED, this::onOrderConfirmed,
        EventType.ORDER_CANCELLED, this::onOrderCancelled);
  }

  private Future<Void> onOrderConfirmed(SqlConnection tx, EventEnvelope event) {
    OrderConfirmed confirmed = OrderConfirmed.fromJson(event.data());
    JsonObject message = new JsonObject()
        .put("subject", "Order " + confirmed.orderId() + " confirmed")
        .put("total", event.data().getString("total"));
    return notifications.record(tx, confirmed.orderId(), "CONFIRMED", confirmed.customerId(), message,
        event.correlationId()).mapEmpty();
  }

  private Future<Void> onOrderCancelled(SqlConnection tx, EventEnvelope event) {
    OrderCancelled cancelled = OrderCancelled.fromJson(event.data());
    JsonObject message = new JsonObject()
        .put("subject", "Order " + cancelled.orderId() + " cancelled")
        .put("reason", cancelled.reason().name());
    return notifications.record(tx, cancelled.orderId(), "CANCELLED", cancelled.customerId(), message,
        event.correlationId()).mapEmpty();
  }
}
