package io.ordermesh.order;

import io.ordermesh.events.Topics;
import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.order.internal.CancelOrder;
import io.ordermesh.order.internal.DeadlineSweeper;
import io.ordermesh.order.internal.OrderConsistency;
import io.ordermesh.order.internal.OrderEventHandlers;
import io.ordermesh.order.internal.OrderLifecycle;
import io.ordermesh.order.internal.OrderQueries;
import io.ordermesh.order.internal.OrderRepository;
import io.ordermesh.order.internal.PlaceOrder;
import io.ordermesh.order.internal.StatusFeed;
import io.ordermesh.platform.inbox.ConflictKeys;
import io.ordermesh.platform.bus.BusFailures;
import io.ordermesh.platform.resilience.Dependency;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.service.ServiceRuntime;
import io.ordermesh.platform.service.ServiceSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The order service: owns orders and drives them to CONFIRMED or CANCELLED from the saga's events. */
public final class OrderVerticle extends VerticleBase {

  public static final ServiceSpec SPEC =
      new ServiceSpec(OrderAddresses.SERVICE, OrderAddresses.SCHEMA, "db/order", Topics.ORDERS);

  private static final Duration MAX_KEY_EXPIRY_INTERVAL = Duration.ofMinutes(1);
  private static final Duration MIN_KEY_EXPIRY_INTERVAL = Duration.ofMillis(100);
  private static final Logger LOG = LoggerFactory.getLogger(OrderVerticle.class);

  private ServiceRuntime runtime;
  private DeadlineSweeper sweeper;
  private long keyExpiry = -1;

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    OrderRepository orders = new OrderRepository(config.saga());
    StatusFeed feed = new StatusFeed(vertx);
    OrderLifecycle lifecycle = new OrderLifecycle(orders, feed);
    // Not waited for: until it knows, the feed tells nobody, and streams read the order instead.
    feed.start().onFailure(error -> LOG.warn("order streams will not be told outcomes until the next look: {}",
        String.valueOf(error)));
    return ServiceRuntime.start(vertx, config, SPEC)
        .onSuccess(rt -> {
          runtime = rt;
          rt.timelineSource(orderId -> timeline(rt, orders, orderId));
        })
        .compose(rt -> registerRequests(rt, config, orders, lifecycle))
        .compose(v -> runtime.consume("", new OrderEventHandlers(orders, lifecycle).handlers(), ConflictKeys.BY_AGGREGATE))
        .onSuccess(v -> {
          sweeper = new DeadlineSweeper(vertx, runtime.db(), orders, lifecycle, config.saga().deadline());
          sweeper.start();
          keyExpiry = vertx.setPeriodic(keyExpiryInterval(config.saga().idempotencyKeyTtl()).toMillis(),
              id -> orders.forgetExpiredKeys(runtime.db().pool())
                  .onFailure(error -> LOG.warn("forgetting expired idempotency keys failed, will retry: {}",
                      String.valueOf(error))));
        });
  }

  /** An order's own entries for {@code /admin/orders/{id}/timeline}; none for what is not an order id. */
  private static Future<JsonArray> timeline(ServiceRuntime rt, OrderRepository orders, String orderId) {
    UUID id;
    try {
      id = UUID.fromString(orderId);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(new JsonArray());
    }
    return orders.timeline(rt.db().pool(), id);
  }

  private Future<Void> registerRequests(ServiceRuntime rt, OrdermeshConfig config, OrderRepository orders,
      OrderLifecycle lifecycle) {
    Dependency users = new Dependency(vertx, "order->user", config.saga().customerCheck(), BusFailures::isTransient);
    PlaceOrder place = new PlaceOrder(vertx, rt.db(), orders, users);
    CancelOrder cancel = new CancelOrder(rt.db(), orders, lifecycle);
    OrderQueries queries = new OrderQueries(rt.db(), orders);
    OrderConsistency consistency = new OrderConsistency(rt.db(), orders);
    return Future.all(List.of(
            rt.serve(OrderAddresses.PLACE, place::handle),
            rt.serve(OrderAddresses.CANCEL, cancel::handle),
            rt.serve(OrderAddresses.GET, queries::get),
            rt.serve(OrderAddresses.LIST, queries::list),
            rt.serveAdmin(OrderAddresses.SAGAS, queries::sagas),
            rt.serveAdmin(OrderAddresses.CONSISTENCY, consistency::handle)))
        .mapEmpty();
  }

  /** Keys are forgotten within a quarter of their time to live after it ends, at most a minute late. */
  private static Duration keyExpiryInterval(Duration ttl) {
    Duration quarter = ttl.dividedBy(4);
    return quarter.compareTo(MIN_KEY_EXPIRY_INTERVAL) < 0 ? MIN_KEY_EXPIRY_INTERVAL
        : quarter.compareTo(MAX_KEY_EXPIRY_INTERVAL) > 0 ? MAX_KEY_EXPIRY_INTERVAL : quarter;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(keyExpiry);
    // A sweep in progress ends before the pool it uses is closed.
    Future<Void> sweeping = sweeper == null ? Future.succeededFuture() : sweeper.stop();
    return sweeping.compose(v -> runtime == null ? Future.succeededFuture() : runtime.stop());
  }
}
