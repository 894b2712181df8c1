package io.ordermesh.notification;

import io.ordermesh.contracts.NotificationAddresses;
import io.ordermesh.notification.internal.NotificationRepository;
import io.ordermesh.notification.internal.OutcomeEventHandlers;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.service.ServiceRuntime;
import io.ordermesh.platform.service.ServiceSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The notification service: records exactly one notification per order outcome. Delivery to the
 * provider (webhook with retries, breaker and parking) builds on these rows.
 */
public final class NotificationVerticle extends VerticleBase {

  public static final ServiceSpec SPEC =
      new ServiceSpec(NotificationAddresses.SERVICE, NotificationAddresses.SCHEMA, "db/notification");

  private ServiceRuntime runtime;

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    return ServiceRuntime.start(vertx, config, SPEC)
        .onSuccess(rt -> runtime = rt)
        .compose(rt -> rt.consume("", new OutcomeEventHandlers(new NotificationRepository()).handlers()));
  }

  @Override
  public Future<?> stop() {
    return runtime == null ? Future.succeededFuture() : runtime.stop();
  }
}
