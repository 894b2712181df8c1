package io.ordermesh.notification;

import io.ordermesh.contracts.NotificationAddresses;
import io.ordermesh.notification.internal.NotificationConsistency;
import io.ordermesh.notification.internal.NotificationDispatcher;
import io.ordermesh.notification.internal.NotificationRepository;
import io.ordermesh.notification.internal.OutcomeEventHandlers;
import io.ordermesh.notification.internal.ProviderClient;
import io.ordermesh.platform.inbox.ConflictKeys;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.service.ServiceRuntime;
import io.ordermesh.platform.service.ServiceSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The notification service: records exactly one notification per order outcome (in the same
 * transaction as the inbox row), then delivers it to the provider with timeout, retries, breaker
 * and parking.
 */
public final class NotificationVerticle extends VerticleBase {

  public static final ServiceSpec SPEC =
      new ServiceSpec(NotificationAddresses.SERVICE, NotificationAddresses.SCHEMA, "db/notification", null);

  private ServiceRuntime runtime;
  private NotificationDispatcher dispatcher;

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    NotificationRepository notifications = new NotificationRepository();
    return ServiceRuntime.start(vertx, config, SPEC)
        .onSuccess(rt -> {
          runtime = rt;
          rt.timelineSource(orderId -> notifications.timeline(rt.db().pool(), orderId));
        })
        .compose(rt -> rt.serveAdmin(NotificationAddresses.CONSISTENCY,
            new NotificationConsistency(rt.db(), notifications)::handle))
        .compose(v -> runtime.consume("", new OutcomeEventHandlers(notifications).handlers(), ConflictKeys.BY_AGGREGATE))
        .onSuccess(v -> {
          dispatcher = new NotificationDispatcher(vertx, runtime.db(), notifications,
              new ProviderClient(vertx, config.notification()), config.notification());
          dispatcher.start();
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> roundDone = dispatcher == null ? Future.succeededFuture() : dispatcher.stop();
    return roundDone.compose(v -> runtime == null ? Future.succeededFuture() : runtime.stop());
  }
}
