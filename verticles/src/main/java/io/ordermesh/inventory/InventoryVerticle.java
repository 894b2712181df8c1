package io.ordermesh.inventory;

import io.ordermesh.events.Topics;
import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.inventory.internal.InventoryConsistency;
import io.ordermesh.inventory.internal.InventoryRepository;
import io.ordermesh.inventory.internal.ProductQueries;
import io.ordermesh.inventory.internal.StockEventHandlers;
import io.ordermesh.platform.inbox.IdempotentConsumer;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.service.ServiceRuntime;
import io.ordermesh.platform.service.ServiceSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The inventory service: owns products and stock, reserves and prices order lines. */
public final class InventoryVerticle extends VerticleBase {

  public static final ServiceSpec SPEC =
      new ServiceSpec(InventoryAddresses.SERVICE, InventoryAddresses.SCHEMA, "db/inventory", Topics.INVENTORY);

  private ServiceRuntime runtime;

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    InventoryRepository repository = new InventoryRepository();
    return ServiceRuntime.start(vertx, config, SPEC)
        .onSuccess(rt -> runtime = rt)
        .compose(rt -> repository.seed(rt.db().pool(), config().getJsonObject("seed", new JsonObject())))
        .compose(v -> registerRequests(new ProductQueries(runtime.db(), repository),
            new InventoryConsistency(runtime.db(), repository)))
        .compose(v -> consumeSagaEvents(new StockEventHandlers(repository)));
  }

  private Future<IdempotentConsumer> consumeSagaEvents(StockEventHandlers handlers) {
    return runtime.consume("", handlers.handlers(), handlers.conflictKeys(), handlers.lockAhead());
  }

  private Future<Void> registerRequests(ProductQueries queries, InventoryConsistency consistency) {
    return Future.all(
            runtime.serve(InventoryAddresses.PRODUCTS_LIST, queries::list),
            runtime.serve(InventoryAddresses.PRODUCTS_GET, queries::get),
            runtime.serveAdmin(InventoryAddresses.CONSISTENCY, consistency::handle))
        .mapEmpty();
  }

  @Override
  public Future<?> stop() {
    return runtime == null ? Future.succeededFuture() : runtime.stop();
  }
}
