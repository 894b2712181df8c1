package io.ordermesh.inventory.internal;

import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** {@code inventory.consistency}: stock conservation per sku, and what stock the given orders hold. */
public final class InventoryConsistency {

  private final Database db;
  private final InventoryRepository inventory;

  public InventoryConsistency(Database db, InventoryRepository inventory) {
    this.db = db;
    this.inventory = inventory;
  }

  public Future<JsonObject> handle(Message<JsonObject> message) {
    JsonArray ids = message.body() == null ? new JsonArray() : message.body().getJsonArray("orderIds", new JsonArray());
    List<UUID> orderIds = ids.stream().map(String.class::cast).map(UUID::fromString).toList();
    Future<JsonArray> violations = inventory.stockViolations(db.pool());
    Future<JsonObject> holdings = inventory.holdings(db.pool(), orderIds);
    return Future.all(violations, holdings)
        .map(v -> new JsonObject().put("violations", violations.result()).put("holdings", holdings.result()));
  }
}
