package io.ordermesh.user.internal;

import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** {@code users.get}: a customer's profile and credit, for the customer themself or an admin. */
public final class CustomerQueries {

  private final Database db;
  private final CustomerRepository customers;

  public CustomerQueries(Database db, CustomerRepository customers) {
    this.db = db;
    this.customers = customers;
  }

  public Future<JsonObject> get(Message<JsonObject> message) {
    Caller caller = Caller.of(message);
    String customerId = message.body() == null ? null : message.body().getString("customerId");
    if (customerId == null || !caller.mayAccess(customerId)) {
      return Future.failedFuture(Failure.NOT_FOUND.exception("no customer " + customerId));
    }
    return customers.find(db.pool(), customerId)
        .map(found -> found.orElseThrow(() -> Failure.NOT_FOUND.exception("no customer " + customerId)));
  }
}
