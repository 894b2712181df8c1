package io.ordermesh.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /admin/*}: operations, for tokens with the {@code admin} role only.
 * {@code GET /admin/consistency[?slackMs=][&customer=…]} evaluates the saga invariants, optionally
 * only over the orders of the named customers.
 */
final class AdminRoutes {

  private static final String ADMIN = "admin";

  private final ConsistencyCheck consistency;

  AdminRoutes(ConsistencyCheck consistency) {
    this.consistency = consistency;
  }

  void mount(Router router) {
    router.route("/admin/*").handler(AdminRoutes::requireAdmin);
    router.get("/admin/consistency").handler(this::consistency);
  }

  private static void requireAdmin(RoutingContext ctx) {
    if (ctx.user() == null || !JwtTokens.roles(ctx.user()).contains(ADMIN)) {
      ctx.fail(403);
      return;
    }
    ctx.next();
  }

  private void consistency(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    String slack = ctx.queryParams().get("slackMs");
    if (slack != null) {
      try {
        query.put("slackMs", Long.parseLong(slack));
      } catch (NumberFormatException e) {
        throw HttpProblem.badRequest("slackMs must be a whole number of milliseconds");
      }
    }
    List<String> customers = ctx.queryParams().getAll("customer");
    if (!customers.isEmpty()) {
      query.put("customerIds", new JsonArray(customers));
    }
    consistency.run(query).onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
