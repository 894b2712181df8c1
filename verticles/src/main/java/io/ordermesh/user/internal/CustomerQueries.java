package io.ordermesh.user.internal;

import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * {@code users.get}: a customer's profile and credit, for the customer themself or an admin; from the
 * service's {@link CustomerViews} unless the request asks for a {@code fresh} read; one that asks only
 * whether the customer exists ({@code existenceOnly}) may get a profile from before a credit change.
 */
public final class CustomerQueries {

  private final CustomerViews views;

  public CustomerQueries(CustomerViews views) {
    this.views = views;
  }

  public Future<JsonObject> get(Message<JsonObject> message) {
    Caller caller = Caller.of(message);
    String customerId = message.body() == null ? null : message.body().getString("customerId");
    if (customerId == null || !caller.mayAccess(customerId)) {
      return Future.failedFuture(Failure.NOT_FOUND.exception("no customer " + customerId));
    }
    return views.get(customerId, readAskedFor(message.body()))
        .map(found -> found.orElseThrow(() -> Failure.NOT_FOUND.exception("no customer " + customerId)));
  }

  private static CustomerViews.Read readAskedFor(JsonObject request) {
    if (request.getBoolean("fresh", false)) {
      return CustomerViews.Read.FRESH;
    }
    return request.getBoolean("existenceOnly", false) ? CustomerViews.Read.EXISTENCE : CustomerViews.Read.CURRENT;
  }
}
