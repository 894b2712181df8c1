package io.ordermesh.gateway;

import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.contracts.UserAddresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/products} and {@code /api/v1/users/me}. */
final class CatalogueRoutes {

  private final BusClient bus;

  CatalogueRoutes(BusClient bus) {
    this.bus = bus;
  }

  void mount(Router router) {
    router.get("/api/v1/products").handler(this::listProducts);
    router.get("/api/v1/products/:sku").handler(this::getProduct);
    router.get("/api/v1/users/me").handler(this::me);
  }

  private void listProducts(RoutingContext ctx) {
    bus.request(ctx, InventoryAddresses.PRODUCTS_LIST, new JsonObject()).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void getProduct(RoutingContext ctx) {
    bus.request(ctx, InventoryAddresses.PRODUCTS_GET, new JsonObject().put("sku", ctx.pathParam("sku")))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    bus.request(ctx, UserAddresses.GET, new JsonObject().put("customerId", ctx.user().subject()))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }
}
