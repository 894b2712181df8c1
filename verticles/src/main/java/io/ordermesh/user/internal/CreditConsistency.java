package io.ordermesh.user.internal;

import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** {@code users.consistency}: credit conservation per customer, and what credit the given orders hold. */
public final class CreditConsistency {

  private final Database db;
  private final CustomerRepository customers;

  public CreditConsistency(Database db, CustomerRepository customers) {
    this.db = db;
    this.customers = customers;
  }

  public Future<JsonObject> handle(Message<JsonObject> message) {
    JsonArray ids = message.body() == null ? new JsonArray() : message.body().getJsonArray("orderIds", new JsonArray());
    List<UUID> orderIds = ids.stream().map(String.class::cast).map(UUID::fromString).toList();
    Future<JsonArray> violations = customers.creditViolations(db.pool());
    Future<JsonObject> holdings = customers.holdings(db.pool(), orderIds);
    return Future.all(violations, holdings)
        .map(v -> new JsonObject().put("violations", violations.result()).put("holdings", holdings.result()));
  }
}
