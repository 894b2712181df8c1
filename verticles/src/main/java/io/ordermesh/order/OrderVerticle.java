package io.ordermesh.order;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.order.internal.OrderEventHandlers;
import io.ordermesh.order.internal.OrderQueries;
import io.ordermesh.order.internal.OrderRepository;
import io.ordermesh.order.internal.PlaceOrder;
import io.ordermesh.platform.bus.Replies;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.service.ServiceRuntime;
import io.ordermesh.platform.service.ServiceSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The order service: owns orders and drives them to CONFIRMED or CANCELLED from the saga's events. */
public final class OrderVerticle extends VerticleBase {

  public static final ServiceSpec SPEC = new ServiceSpec(OrderAddresses.SERVICE, OrderAddresses.SCHEMA, "db/order");

  private ServiceRuntime runtime;

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    return ServiceRuntime.start(vertx, config, SPEC)
        .onSuccess(rt -> runtime = rt)
        .compose(rt -> registerRequests(rt, new OrderRepository(config.saga())))
        .compose(repository -> runtime.consume("", new OrderEventHandlers(repository).handlers()));
  }

  private Future<OrderRepository> registerRequests(ServiceRuntime rt, OrderRepository repository) {
    PlaceOrder place = new PlaceOrder(vertx, rt.db(), repository, rt.config().bus());
    OrderQueries queries = new OrderQueries(rt.db(), repository);
    var bus = vertx.eventBus();
    return Future.all(
            bus.<JsonObject>consumer(OrderAddresses.PLACE, m -> Replies.answer(m, place::handle)).completion(),
            bus.<JsonObject>consumer(OrderAddresses.GET, m -> Replies.answer(m, queries::get)).completion(),
            bus.<JsonObject>consumer(OrderAddresses.LIST, m -> Replies.answer(m, queries::list)).completion())
        .map(repository);
  }

  @Override
  public Future<?> stop() {
    return runtime == null ? Future.succeededFuture() : runtime.stop();
  }
}
