package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.platform.bus.BusHeaders;
import io.ordermesh.platform.interest.ClusterInterest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/**
 * Tells live views that an order reached an outcome ({@link OrderAddresses#STATUS_CHANGED}), so the
 * gateway's event streams answer when it happens instead of when they next read the order. Called once
 * the change has committed: a view told of an outcome that was rolled back would show one that never was.
 * Only while some gateway follows orders ({@link OrderAddresses#STREAMS_MAP}): otherwise every outcome of
 * every saga would go to every gateway for nobody.
 */
public final class StatusFeed {

  private final Vertx vertx;
  /** The gateways that follow orders, as of this node's last look; null until the first. */
  private volatile ClusterInterest.Watch followers;

  public StatusFeed(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts watching whether any gateway follows orders; until then (and in tests that never call it) nothing is told. */
  public Future<Void> start() {
    return new ClusterInterest(vertx, OrderAddresses.STREAMS_MAP, OrderAddresses.STREAMS_CHANGED,
        Duration.ofMillis(OrderAddresses.STREAMS_TTL_MS)).watch()
        .onSuccess(watch -> followers = watch)
        .mapEmpty();
  }

  boolean followed() {
    ClusterInterest.Watch watch = followers;
    return watch != null && watch.anyone();
  }

  void changed(UUID orderId, OrderStatus status, CancellationReason reason, String correlationId) {
    if (!followed()) {
      return;
    }
    JsonObject change = new JsonObject().put("orderId", orderId.toString()).put("status", status.name());
    if (reason != null) {
      change.put("reason", reason.name());
    }
    DeliveryOptions options = new DeliveryOptions();
    if (correlationId != null) {
      options.addHeader(BusHeaders.CORRELATION_ID, correlationId);
    }
    vertx.eventBus().publish(OrderAddresses.STATUS_CHANGED, change, options);
  }
}
