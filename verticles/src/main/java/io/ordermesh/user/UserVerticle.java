package io.ordermesh.user;

import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.platform.bus.Replies;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.service.ServiceRuntime;
import io.ordermesh.platform.service.ServiceSpec;
import io.ordermesh.user.internal.CreditEventHandlers;
import io.ordermesh.user.internal.CustomerQueries;
import io.ordermesh.user.internal.CustomerRepository;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The user service: owns customers and their credit, reserves credit for orders whose stock is reserved. */
public final class UserVerticle extends VerticleBase {

  public static final ServiceSpec SPEC = new ServiceSpec(UserAddresses.SERVICE, UserAddresses.SCHEMA, "db/user");

  private ServiceRuntime runtime;

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    CustomerRepository customers = new CustomerRepository();
    return ServiceRuntime.start(vertx, config, SPEC)
        .onSuccess(rt -> runtime = rt)
        .compose(rt -> customers.seed(rt.db().pool(), config().getJsonObject("seed", new JsonObject())))
        .compose(v -> vertx.eventBus().<JsonObject>consumer(UserAddresses.GET,
            m -> Replies.answer(m, new CustomerQueries(runtime.db(), customers)::get)).completion())
        .compose(v -> runtime.consume("", new CreditEventHandlers(customers).handlers()));
  }

  @Override
  public Future<?> stop() {
    return runtime == null ? Future.succeededFuture() : runtime.stop();
  }
}
