package io.ordermesh.inventory.internal;

import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** {@code inventory.products.list} and {@code inventory.products.get}. */
public final class ProductQueries {

  private final Database db;
  private final InventoryRepository products;

  public ProductQueries(Database db, InventoryRepository products) {
    this.db = db;
    this.products = products;
  }

  public Future<JsonObject> list(Message<JsonObject> message) {
    return products.list(db.pool()).map(list -> new JsonObject().put("products", list));
  }

  public Future<JsonObject> get(Message<JsonObject> message) {
    String sku = message.body() == null ? null : message.body().getString("sku");
    if (sku == null || sku.isBlank()) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("sku is required"));
    }
    return products.get(db.pool(), sku)
        .map(found -> found.orElseThrow(() -> Failure.NOT_FOUND.exception("no product " + sku)));
  }
}
