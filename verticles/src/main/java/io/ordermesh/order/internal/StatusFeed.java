package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.platform.bus.BusHeaders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
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

  /** How often the map is read besides when a gateway says it changed (a lapsed entry says nothing). */
  private static final Duration RELOAD = Duration.ofSeconds(2);

  private final Vertx vertx;
  private volatile boolean followed;

  public StatusFeed(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts watching whether any gateway follows orders; until then (and in tests that never call it) nothing is told. */
  public Future<Void> start() {
    vertx.setPeriodic(RELOAD.toMillis(), id -> reload());
    return vertx.eventBus().consumer(OrderAddresses.STREAMS_CHANGED, m -> reload()).completion()
        .compose(v -> reload());
  }

  boolean followed() {
    return followed;
  }

  private Future<Void> reload() {
    return vertx.sharedData().<String, Long>getAsyncMap(OrderAddresses.STREAMS_MAP).compose(AsyncMap::size)
        .onSuccess(n -> followed = n > 0)
        .mapEmpty();
  }

  void changed(UUID orderId, OrderStatus status, CancellationReason reason, String correlationId) {
    if (!followed) {
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
