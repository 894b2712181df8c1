package io.ordermesh.gateway;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.Topics;
import io.ordermesh.platform.faults.Fault;
import io.ordermesh.platform.inbox.DeadLetterReplay;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.faults.FaultInjection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/*}: operations, for tokens with the {@code admin} role only.
 * {@code GET /admin/consistency[?slackMs=][&customer=…][&pageSize=]} evaluates the saga invariants, optionally
 * only over the orders of the named customers.
 */
final class AdminRoutes {

  private static final String ADMIN = "admin";
  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

  private static final long MAX_FAULT_MS = java.time.Duration.ofHours(1).toMillis();
  private static final long MAX_REPLAY = 10_000;
  private static final long TIMELINE_TIMEOUT_MS = 5_000;
  private static final java.time.Duration REPLAY_TIMEOUT = java.time.Duration.ofSeconds(60);

  private final io.vertx.core.Vertx vertx;
  private final ConsistencyCheck consistency;
  private final BusClient bus;
  private final FaultInjection faults;
  private final OpenApiValidation openApi;

  AdminRoutes(io.vertx.core.Vertx vertx, ConsistencyCheck consistency, BusClient bus, FaultInjection faults,
      OpenApiValidation openApi) {
    this.vertx = vertx;
    this.consistency = consistency;
    this.bus = bus;
    this.faults = faults;
    this.openApi = openApi;
  }

  /**
   * The sniffer's page, mounted before the routes that ask for a token: it holds nothing secret, and the
   * stream it reads asks for an admin token. After the correlation id is assigned, like every response.
   */
  static void mountSniffPage(Router router) {
    router.get("/admin/sniff.html").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        // It shows the cluster's traffic to whoever holds an admin token: never inside another site's frame.
        .putHeader("Content-Security-Policy", "frame-ancestors 'none'")
        .sendFile("webroot/sniff.html"));
  }

  void mount(Router router) {
    router.route("/admin/*").handler(AdminRoutes::requireAdmin);
    router.get("/admin/sniff").handler(new SniffStream(vertx)::handle);
    // Checked against the same contract as the public API, after the role: a non-admin hears 403 first.
    router.get("/admin/consistency").handler(openApi.operation("checkConsistency")).handler(this::consistency);
    router.get("/admin/sagas").handler(openApi.operation("listSagas")).handler(this::sagas);
    router.get("/admin/orders/:id/timeline").handler(openApi.operation("orderTimeline")).handler(this::timeline);
    router.get("/admin/breakers").handler(openApi.operation("listBreakers"))
        .handler(ctx -> ctx.json(new JsonObject().put("breakers", bus.snapshot())));
    router.post("/admin/faults").handler(openApi.operation("injectFault")).handler(this::addFault);
    router.post("/admin/dlq/:topic/replay").handler(openApi.operation("replayDlq")).handler(this::replayDeadLetters);
    router.get("/admin/faults").handler(openApi.operation("listFaults")).handler(ctx -> faults.list()
        .onSuccess(list -> ctx.json(new JsonObject().put("faults", FaultInjection.toJson(list))))
        .onFailure(ctx::fail));
    router.delete("/admin/faults/:id").handler(openApi.operation("endFault")).handler(ctx -> faults.remove(ctx.pathParam("id"))
        .onSuccess(removed -> {
          if (removed) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(404);
          }
        })
        .onFailure(ctx::fail));
  }

  /** One order's journey: each service's part, merged in time order; a service that cannot answer is named. */
  private void timeline(RoutingContext ctx) {
    String orderId = ctx.pathParam("id");
    JsonObject query = new JsonObject().put("orderId", orderId);
    List<String> services = List.of("order", "inventory", "user", "notification");
    List<io.vertx.core.Future<JsonObject>> parts = services.stream()
        .map(s -> vertx.eventBus().<JsonObject>request(io.ordermesh.platform.timeline.Timeline.address(s), query,
            BusClient.options(ctx, TIMELINE_TIMEOUT_MS)).map(m -> m.body()))
        .toList();
    io.vertx.core.Future.join(parts)
        .transform(done -> io.vertx.core.Future.succeededFuture(merged(orderId, services, parts)))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** Every answering service's entries in time order (entries without a time last), and who did not answer. */
  private static JsonObject merged(String orderId, List<String> services, List<io.vertx.core.Future<JsonObject>> parts) {
    List<JsonObject> entries = new java.util.ArrayList<>();
    JsonArray unavailable = new JsonArray();
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).succeeded()) {
        parts.get(i).result().getJsonArray("entries", new JsonArray()).forEach(e -> entries.add((JsonObject) e));
      } else {
        unavailable.add(services.get(i));
      }
    }
    entries.sort(java.util.Comparator.comparing(e -> e.getString("at"),
        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
    return new JsonObject().put("orderId", orderId).put("entries", new JsonArray(List.copyOf(entries)))
        .put("unavailable", unavailable);
  }

  private void sagas(RoutingContext ctx) {
    JsonObject query = new JsonObject().put("stuck", "true".equals(ctx.queryParams().get("stuck")));
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      query.put("limit", (int) longIn(new JsonObject().put("limit", parseLong(limit)), "limit", 1, 100, -1));
    }
    bus.request(ctx, io.ordermesh.contracts.OrderAddresses.SAGAS, query).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** Asks the service that owns the topic to re-publish what its DLQ holds. */
  private void replayDeadLetters(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (!Topics.DOMAIN.contains(topic)) {
      throw HttpProblem.badRequest("topic must be one of " + Topics.DOMAIN);
    }
    JsonObject body = new JsonObject();
    String max = ctx.queryParams().get("max");
    if (max != null) {
      body.put("max", (int) longIn(new JsonObject().put("max", parseLong(max)), "max", 1, MAX_REPLAY, -1));
    }
    vertx.eventBus().<JsonObject>request(DeadLetterReplay.address(topic), body,
            BusClient.options(ctx, REPLAY_TIMEOUT.toMillis()))
        .onSuccess(reply -> ctx.json(reply.body()))
        .onFailure(ctx::fail);
  }

  private static Object parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return text;
    }
  }

  /** {@code {"service","mode":"silent|fail|slow","delayMs"?,"durationMs"}} -> 201 with the fault. */
  private void addFault(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw HttpProblem.badRequest("the body must be a JSON object");
    }
    if (body == null || !(body.getValue("service") instanceof String service)
        || !(body.getValue("mode") instanceof String mode)) {
      throw HttpProblem.badRequest("service and mode are required");
    }
    long delay = longIn(body, "delayMs", 0, MAX_FAULT_MS, 0);
    long duration = longIn(body, "durationMs", 1, MAX_FAULT_MS, -1);
    Fault.Mode parsed;
    try {
      parsed = Fault.Mode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(e.getMessage());
    }
    faults.add(service, parsed, java.time.Duration.ofMillis(delay), java.time.Duration.ofMillis(duration))
        .onSuccess(fault -> ctx.response().setStatusCode(201)
            .putHeader("Location", "/admin/faults/" + fault.id())
            .putHeader("Content-Type", "application/json")
            .end(fault.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private static long longIn(JsonObject body, String name, long min, long max, long fallback) {
    Object value = body.getValue(name);
    if (value == null && fallback >= 0) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.longValue() < min || n.longValue() > max
        || n.doubleValue() != n.longValue()) {
      throw HttpProblem.badRequest(name + " must be a whole number in " + min + ".." + max);
    }
    return n.longValue();
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
    String pageSize = ctx.queryParams().get("pageSize");
    if (pageSize != null) {
      int size;
      try {
        size = Integer.parseInt(pageSize);
      } catch (NumberFormatException e) {
        size = 0;
      }
      if (size < 1 || size > OrderAddresses.CONSISTENCY_MAX_PAGE) {
        throw HttpProblem.badRequest("pageSize must be a whole number of orders in 1.."
            + OrderAddresses.CONSISTENCY_MAX_PAGE);
      }
      query.put("limit", size);
    }
    List<String> customers = ctx.queryParams().getAll("customer");
    if (!customers.isEmpty()) {
      query.put("customerIds", new JsonArray(customers));
    }
    consistency.run(query, BusClient.caller(ctx), () -> ctx.response().closed())
        .onSuccess(ctx::json)
        .onFailure(error -> {
          if (error instanceof ConsistencyCheck.Abandoned) {
            LogContext.of("gateway", Correlation.id(ctx)).info(LOG, "{}", error.getMessage());
          } else {
            ctx.fail(error);
          }
        });
  }
}
