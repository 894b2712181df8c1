package io.ordermesh.user;

import io.ordermesh.events.Topics;
import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.platform.inbox.IdempotentConsumer;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.service.ServiceRuntime;
import io.ordermesh.platform.service.ServiceSpec;
import io.ordermesh.user.internal.CreditConsistency;
import io.ordermesh.user.internal.CreditEventHandlers;
import io.ordermesh.user.internal.CustomerQueries;
import io.ordermesh.user.internal.CustomerRepository;
import io.ordermesh.user.internal.CustomerViews;
import io.ordermesh.platform.config.Defaults;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The user service: owns customers and their credit, reserves credit for orders whose stock is reserved. */
public final class UserVerticle extends VerticleBase {

  public static final ServiceSpec SPEC =
      new ServiceSpec(UserAddresses.SERVICE, UserAddresses.SCHEMA, "db/user", Topics.CUSTOMERS);

  private ServiceRuntime runtime;
  private CustomerViews views;

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    CustomerRepository customers = new CustomerRepository();
    return ServiceRuntime.start(vertx, config, SPEC)
        .onSuccess(rt -> runtime = rt)
        .compose(rt -> customers.seed(rt.db().pool(), config().getJsonObject("seed", new JsonObject())))
        .compose(seeded -> startViews(customers).onSuccess(v -> views.created(seeded)))
        .compose(v -> registerRequests(new CustomerQueries(views), new CreditConsistency(runtime.db(), customers)))
        .compose(v -> consumeSagaEvents(new CreditEventHandlers(customers, views)));
  }

  private Future<Void> startViews(CustomerRepository customers) {
    views = new CustomerViews(vertx, customerId -> customers.find(runtime.db().pool(), customerId),
        Defaults.CUSTOMER_VIEWS, Defaults.CUSTOMER_VIEW_TTL);
    return views.start();
  }

  private Future<IdempotentConsumer> consumeSagaEvents(CreditEventHandlers handlers) {
    return runtime.consume("", handlers.handlers(), handlers.conflictKeys(), handlers.lockAhead());
  }

  private Future<Void> registerRequests(CustomerQueries queries, CreditConsistency consistency) {
    return Future.all(
            runtime.serve(UserAddresses.GET, queries::get),
            runtime.serveAdmin(UserAddresses.CONSISTENCY, consistency::handle))
        .mapEmpty();
  }

  @Override
  public Future<?> stop() {
    // The views keep hearing other nodes' changes while the runtime drains the requests still coming in.
    Future<Void> runtimeStopped = runtime == null ? Future.succeededFuture() : runtime.stop();
    return runtimeStopped.compose(v -> views == null ? Future.succeededFuture() : views.stop());
  }
}
