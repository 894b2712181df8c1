package io.ordermesh.gateway;

import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.platform.bus.BusFailures;
import io.ordermesh.platform.resilience.Rejected;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code /api/v1/products} and {@code /api/v1/users/me}. The catalogue has a fallback: when
 * inventory cannot answer (breaker open, bulkhead full, timeout, unavailable), the last answer this
 * node's gateway saw (any of its instances) is served, marked stale with {@code Cache-Status} and
 * {@code Warning}.
 */
final class CatalogueRoutes {

  static final String CACHE_STATUS = "Cache-Status";
  static final String WARNING = "Warning";
  private static final String STALE_STATUS = "ordermesh-gateway; hit; detail=stale-if-error";
  private static final String STALE_WARNING = "110 - \"Response is Stale\"";
  private static final String LIST_KEY = "*";
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final BusClient bus;
  private final OpenApiValidation openApi;
  /** Shared by the deployment's instances: answers are put whole and never changed after. */
  private final Map<String, JsonObject> lastKnown;

  CatalogueRoutes(BusClient bus, OpenApiValidation openApi, Map<String, JsonObject> lastKnown) {
    this.bus = bus;
    this.openApi = openApi;
    this.lastKnown = lastKnown;
  }

  void mount(Router router) {
    router.get("/api/v1/products").handler(openApi.operation("listProducts")).handler(this::listProducts);
    router.get("/api/v1/products/:sku").handler(openApi.operation("getProduct")).handler(this::getProduct);
    router.get("/api/v1/users/me").handler(openApi.operation("getMe")).handler(this::me);
  }

  private void listProducts(RoutingContext ctx) {
    catalogue(ctx, LIST_KEY, InventoryAddresses.PRODUCTS_LIST, new JsonObject());
  }

  private void getProduct(RoutingContext ctx) {
    String sku = ctx.pathParam("sku");
    catalogue(ctx, sku, InventoryAddresses.PRODUCTS_GET, new JsonObject().put("sku", sku));
  }

  private void catalogue(RoutingContext ctx, String key, String address, JsonObject query) {
    bus.request(ctx, address, query)
        .onSuccess(fresh -> {
          lastKnown.put(key, fresh);
          ctx.json(fresh);
        })
        .onFailure(error -> {
          JsonObject stale = lastKnown.get(key);
          if (stale != null && inventoryIsUnwell(error)) {
            ctx.response().putHeader(CACHE_STATUS, STALE_STATUS).putHeader(WARNING, STALE_WARNING);
            ctx.json(stale);
          } else {
            ctx.fail(error);
          }
        });
  }

  private static boolean inventoryIsUnwell(Throwable error) {
    return error instanceof Rejected || BusFailures.isTransient(error);
  }

  private void me(RoutingContext ctx) {
    JsonObject query = new JsonObject().put("customerId", ctx.user().subject());
    if (FreshReadRequest.asked(ctx.request().headers())) {
      query.put("fresh", true);
    }
    // The profile's JSON text goes out as the user service encoded it (its views keep it encoded).
    bus.requestJsonText(ctx, UserAddresses.GET, query)
        .onSuccess(json -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(json))
        .onFailure(ctx::fail);
  }
}
