package io.ordermesh.gateway;

import io.ordermesh.platform.bus.BusHeaders;
import io.ordermesh.platform.bus.Caller;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** Requests onto the event bus on behalf of an HTTP caller: its identity and correlation id ride along. */
public final class BusClient {

  private final EventBus bus;
  private final Duration timeout;

  public BusClient(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.timeout = timeout;
  }

  public Future<JsonObject> request(RoutingContext ctx, String address, JsonObject body) {
    return bus.<JsonObject>request(address, body, options(ctx)).map(reply -> reply.body());
  }

  private DeliveryOptions options(RoutingContext ctx) {
    if (ctx.user() == null) {
      return new DeliveryOptions().setSendTimeout(timeout.toMillis())
          .addHeader(BusHeaders.CORRELATION_ID, Correlation.id(ctx));
    }
    return new Caller(ctx.user().subject(), JwtTokens.roles(ctx.user()), Correlation.id(ctx))
        .deliveryOptions(timeout.toMillis());
  }
}
