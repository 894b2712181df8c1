package io.ordermesh.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /admin/*}: operations, for tokens with the {@code admin} role only. */
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
    consistency.run(query).onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
