package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.platform.bus.BusHeaders;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Tells live views that an order reached an outcome ({@link OrderAddresses#STATUS_CHANGED}), so the
 * gateway's event streams answer when it happens instead of when they next read the order. Called once
 * the change has committed: a view told of an outcome that was rolled back would show one that never was.
 */
public final class StatusFeed {

  private final EventBus bus;

  public StatusFeed(EventBus bus) {
    this.bus = bus;
  }

  void changed(UUID orderId, OrderStatus status, CancellationReason reason, String correlationId) {
    JsonObject change = new JsonObject().put("orderId", orderId.toString()).put("status", status.name());
    if (reason != null) {
      change.put("reason", reason.name());
    }
    DeliveryOptions options = new DeliveryOptions();
    if (correlationId != null) {
      options.addHeader(BusHeaders.CORRELATION_ID, correlationId);
    }
    bus.publish(OrderAddresses.STATUS_CHANGED, change, options);
  }
}
