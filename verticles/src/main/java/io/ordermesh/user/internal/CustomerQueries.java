package io.ordermesh.user.internal;

import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * {@code users.get}: a customer's profile and credit, for the customer themself or an admin; from the
 * service's {@link CustomerViews} unless the request asks for a {@code fresh} read; one that asks only
 * whether the customer exists ({@code existenceOnly}) may get a profile from before a credit change.
 * A request that asks for JSON text ({@code asJsonText}: the gateway, which sends it on as it is) gets
 * the profile's bytes, which the views keep encoded, instead of an object to copy and encode again.
 */
public final class CustomerQueries {

  private final CustomerViews views;

  public CustomerQueries(CustomerViews views) {
    this.views = views;
  }

  /** The customer as a {@link JsonObject}, or as a {@link Buffer} of JSON text when the request asks for text. */
  public Future<?> get(Message<JsonObject> message) {
    Caller caller = Caller.of(message);
    JsonObject request = message.body();
    String customerId = request == null ? null : request.getString("customerId");
    if (customerId == null || !caller.mayAccess(customerId)) {
      return Future.failedFuture(noSuchCustomer(customerId));
    }
    CustomerViews.Read read = readAskedFor(request);
    Future<? extends Optional<?>> found = request.getBoolean("asJsonText", false)
        ? views.getAsJsonText(customerId, read)
        : views.get(customerId, read);
    return found.map(customer -> customer.orElseThrow(() -> noSuchCustomer(customerId)));
  }

  private static ServiceException noSuchCustomer(String customerId) {
    return Failure.NOT_FOUND.exception("no customer " + customerId);
  }

  private static CustomerViews.Read readAskedFor(JsonObject request) {
    if (request.getBoolean("fresh", false)) {
      return CustomerViews.Read.FRESH;
    }
    return request.getBoolean("existenceOnly", false) ? CustomerViews.Read.EXISTENCE : CustomerViews.Read.CURRENT;
  }
}
