package io.ordermesh.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;

/**
 * What a silent dependency costs, measured on a running gateway in one run: the unaffected route's
 * p99 before the fault, the time until the inventory breaker opens after inventory goes silent, the
 * affected (catalogue) route's p50/p99 while the breaker is open, and the unaffected route's p99
 * during the fault.
 */
public final class BreakerBenchmark {

  private static final String INVENTORY_BREAKER = "gateway->inventory";
  private static final int MAX_CONNECTIONS = 64;
  private static final Duration BREAKER_POLL = Duration.ofMillis(10);
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
  /**
   * Warm-up phases run at this multiple of the measured rate: thousands of requests through each path
   * first, or p99 measures the JIT (of the driver and of the gateway) rather than the route.
   */
  private static final int WARMUP_FACTOR = 5;

  private final Vertx vertx;
  private final WebClient http;
  private final URI base;
  private final String customerToken;
  private final String adminToken;
  private final Settings settings;

  /** Request rate and how long each phase runs; the fault lasts long enough for all of them. */
  public record Settings(int ratePerSecond, Duration phase, String sku) {
  }

  public BreakerBenchmark(Vertx vertx, URI base, String customerToken, String adminToken, Settings settings) {
    this.vertx = vertx;
    this.http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
    this.base = base;
    this.customerToken = customerToken;
    this.adminToken = adminToken;
    this.settings = settings;
  }

  public Future<JsonObject> run() {
    OpenLoop load = new OpenLoop(vertx);
    JsonObject report = new JsonObject().put("ratePerSecond", settings.ratePerSecond())
        .put("phaseMs", settings.phase().toMillis());
    return get(customerToken, "/api/v1/products/" + settings.sku())
        .compose(v -> Future.all(warmUp(load, "/api/v1/users/me"), warmUp(load, "/api/v1/products/" + settings.sku())))
        .compose(v -> load.run(settings.ratePerSecond(), settings.phase(), () -> get(customerToken, "/api/v1/users/me")))
        .onSuccess(baseline -> report.put("unaffectedWithoutFault", summary(baseline)))
        .compose(v -> injectSilentInventory())
        .compose(faultId -> measureFault(load, report).eventually(() -> endFault(faultId)))
        .map(report);
  }

  private Future<Void> measureFault(OpenLoop load, JsonObject report) {
    long faultAt = System.nanoTime();
    Future<OpenLoop.Result> hammer = load.run(settings.ratePerSecond(), settings.phase(),
        () -> get(customerToken, "/api/v1/products/" + settings.sku()));
    return awaitBreakerOpen(faultAt + OPEN_TIMEOUT.toNanos())
        .onSuccess(v -> report.put("timeToOpenMs", Duration.ofNanos(System.nanoTime() - faultAt).toMillis()))
        .compose(v -> hammer)
        .compose(v -> warmUp(load, "/api/v1/products/" + settings.sku()))
        .compose(v -> Future.all(
            load.run(settings.ratePerSecond(), settings.phase(), () -> get(customerToken, "/api/v1/products/" + settings.sku())),
            load.run(settings.ratePerSecond(), settings.phase(), () -> get(customerToken, "/api/v1/users/me"))))
        .onSuccess(both -> report
            .put("affectedWhileOpen", summary(both.resultAt(0)))
            .put("unaffectedDuringFault", summary(both.resultAt(1))))
        .mapEmpty();
  }

  private Future<OpenLoop.Result> warmUp(OpenLoop load, String path) {
    return load.run(settings.ratePerSecond() * WARMUP_FACTOR, settings.phase(), () -> get(customerToken, path));
  }

  private Future<String> injectSilentInventory() {
    JsonObject fault = new JsonObject().put("service", "inventory").put("mode", "silent")
        .put("durationMs", settings.phase().multipliedBy(6).toMillis());
    return http.postAbs(base + "/admin/faults").bearerTokenAuthentication(adminToken).sendJsonObject(fault)
        .map(r -> r.bodyAsJsonObject().getString("id"));
  }

  private Future<Void> endFault(String id) {
    return http.deleteAbs(base + "/admin/faults/" + id).bearerTokenAuthentication(adminToken).send().mapEmpty();
  }

  private Future<Void> awaitBreakerOpen(long deadline) {
    return http.getAbs(base + "/admin/breakers").bearerTokenAuthentication(adminToken).send()
        .compose(r -> {
          boolean open = r.bodyAsJsonObject().getJsonArray("breakers").stream().map(JsonObject.class::cast)
              .anyMatch(b -> INVENTORY_BREAKER.equals(b.getString("name")) && "OPEN".equals(b.getString("state")));
          if (open) {
            return Future.succeededFuture();
          }
          if (System.nanoTime() > deadline) {
            return Future.failedFuture(new IllegalStateException("the inventory breaker never opened"));
          }
          return vertx.timer(BREAKER_POLL.toMillis()).compose(v -> awaitBreakerOpen(deadline));
        });
  }

  private Future<Integer> get(String token, String path) {
    return http.getAbs(base + path).bearerTokenAuthentication(token).send().map(HttpResponse::statusCode);
  }

  private static JsonObject summary(OpenLoop.Result result) {
    return new JsonObject()
        .put("requests", result.count())
        .put("errors", result.errors())
        .put("p50Ms", round(result.p50Millis()))
        .put("p99Ms", round(result.p99Millis()));
  }

  private static double round(double millis) {
    return Math.round(millis * 100) / 100.0;
  }

  /** The report as the table the benchmark prints. */
  public static String table(JsonObject report) {
    JsonObject before = report.getJsonObject("unaffectedWithoutFault");
    JsonObject open = report.getJsonObject("affectedWhileOpen");
    JsonObject during = report.getJsonObject("unaffectedDuringFault");
    return String.join("\n",
        String.format("breaker benchmark: %d req/s per phase, %d ms phases", report.getInteger("ratePerSecond"),
            report.getLong("phaseMs")),
        String.format("  time to open after inventory went silent   %8d ms", report.getLong("timeToOpenMs")),
        String.format("  /products/{sku} while open       p50 %8.2f ms  p99 %8.2f ms  (%d errors)",
            open.getDouble("p50Ms"), open.getDouble("p99Ms"), open.getLong("errors")),
        String.format("  /users/me without fault                      p99 %8.2f ms  (%d errors)",
            before.getDouble("p99Ms"), before.getLong("errors")),
        String.format("  /users/me during fault                       p99 %8.2f ms  (%d errors)",
            during.getDouble("p99Ms"), during.getLong("errors")));
  }

}
