package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.platform.service.ServiceHealth;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the randomized and duplicate-delivery tests read back from one node: orders, fresh stock and
 * credit over HTTP, per-service health over the event bus, and the invariant check.
 */
final class SagaProbe {

  static final List<String> SERVICES = List.of("user", "inventory", "order", "notification");
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
  private static final String ADMIN = "saga-probe-admin";
  private static final long HEALTH_TIMEOUT_MS = 5_000;
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

  private final OrdermeshNode node;
  private final Api api;

  SagaProbe(OrdermeshNode node) {
    this.node = node;
    this.api = new Api(node.httpPort());
  }

  Api api() {
    return api;
  }

  /** Minting a token starts a Vert.x instance, so each subject gets one token for the whole run. */
  static String token(String subject) {
    return TOKENS.computeIfAbsent(subject, s -> TestWorld.token(s));
  }

  static String adminToken() {
    return TOKENS.computeIfAbsent(ADMIN, s -> TestWorld.token(s, "admin"));
  }

  /** Read with the owner's token: the gateway's rate limit is per principal. */
  JsonObject order(String customer, String orderId) {
    return api.getJson(token(customer), "/api/v1/orders/" + orderId);
  }

  /** Units of the sku on the shelf, as inventory says now (a stale catalogue answer fails). */
  int available(String sku) {
    HttpResponse<String> response = api.get(adminToken(), "/api/v1/products/" + sku);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Warning")).as("stale catalogue for " + sku).isEmpty();
    return new JsonObject(response.body()).getInteger("available");
  }

  BigDecimal creditAvailable(String customer) {
    return new BigDecimal(api.getJson(token(customer), "/api/v1/users/me").getString("creditAvailable"));
  }

  boolean hasPendingOrders(String customer) {
    return !api.getJson(token(customer), "/api/v1/orders?status=PENDING&limit=1").getJsonArray("orders").isEmpty();
  }

  /** The service's own health answer: eventsProcessed, duplicatesSkipped, consuming, … */
  JsonObject health(String service) {
    return TestNodes.join(node.vertx().eventBus().<JsonObject>request(ServiceHealth.address(service),
        new JsonObject(), new DeliveryOptions().setSendTimeout(HEALTH_TIMEOUT_MS))).body();
  }

  long counter(String service, String name) {
    return health(service).getLong(name);
  }

  /** Compensation may still be in flight right after the orders turned terminal. */
  void awaitConsistent(List<String> customers) {
    String[] ids = customers.toArray(String[]::new);
    await("invariants hold for " + customers).atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> {
          JsonObject report = api.consistency(ids);
          assertThat(report.getBoolean("ok")).as("consistency report %s", report.encodePrettily()).isTrue();
        });
  }
}
