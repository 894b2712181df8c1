package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.ordermesh.platform.resilience.ResiliencePolicy;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defended edges under injected faults, through the real gateway: a silent inventory opens the
 * breaker fast and the catalogue is served stale; other routes do not notice; the breaker closes by
 * itself after the fault; orders are accepted while the user service is down.
 */
class ResilienceIT {

  private static final Duration BREAKER_RESET = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int CONCURRENT_READERS = 8;

  private final TestWorld world = new TestWorld();
  private final ExecutorService readers = Executors.newFixedThreadPool(CONCURRENT_READERS);
  private OrdermeshNode node;
  private Api api;
  private String admin;

  @BeforeEach
  void startNode() {
    OrdermeshConfig base = TestNodes.shared();
    // A short breaker reset so that "closes by itself" takes a second, not the default ten.
    ResiliencePolicy catalogue = withReset(ResiliencePolicy.defaults(Defaults.CATALOGUE_TIMEOUT));
    ResiliencePolicy standard = withReset(ResiliencePolicy.defaults(Defaults.BUS_REQUEST_TIMEOUT));
    OrdermeshConfig config = new OrdermeshConfig(base.nodeId(), base.http(), base.postgres(), base.kafka(), base.saga(),
        base.auth(), base.bus(), base.outbox(), base.consumer(), base.notification(),
        new GatewayConfig(0, 0, Defaults.RATE_LIMIT_SHARE_INTERVAL, standard, Map.of("inventory", catalogue)));
    node = TestNodes.start(config, Service.all(), Optional.empty(), world.seed());
    api = new Api(node.httpPort());
    admin = TestWorld.token("resilience-admin", "admin");
  }

  @AfterEach
  void stopNode() {
    readers.shutdownNow();
    TestNodes.join(node.stop());
  }

  @Test
  void aSilentInventoryOpensTheBreakerAndTheCatalogueIsServedStale() {
    String token = TestWorld.token(world.rich);
    HttpResponse<String> fresh = api.get(token, "/api/v1/products/" + world.cheapSku);
    assertThat(fresh.headers().firstValue("Cache-Status")).isEmpty();

    String faultId = injectFault("inventory", "silent", Duration.ofSeconds(30));
    long faultAt = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> during = readConcurrently(token, 40);

    // How soon is a benchmark's question (bench breaker, issue 7's 1 s target), not this test's.
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> "OPEN".equals(breaker("gateway->inventory").getString("state")));
    Duration timeToOpen = Duration.ofNanos(System.nanoTime() - faultAt);
    during.forEach(CompletableFuture::join);

    HttpResponse<String> stale = api.get(token, "/api/v1/products/" + world.cheapSku);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.headers().firstValue("Cache-Status")).hasValueSatisfying(v -> assertThat(v).contains("stale"));
    assertThat(stale.headers().firstValue("Warning")).isPresent();
    assertThat(new JsonObject(stale.body())).isEqualTo(new JsonObject(fresh.body()));
    assertThat(api.get(token, "/api/v1/users/me").statusCode()).as("another dependency is unaffected").isEqualTo(200);
    HttpResponse<String> neverCached = api.get(token, "/api/v1/products/" + world.priceySku);
    assertThat(neverCached.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(neverCached.body()).getString("type")).endsWith("/breaker-open");
    assertThat(neverCached.headers().firstValue("Retry-After")).as("until the breaker lets a probe through")
        .hasValue(Long.toString(BREAKER_RESET.toSeconds()));
    JsonObject inventory = breaker("gateway->inventory");
    assertThat(inventory.getLong("retries"))
        .as("retries stay within the budget")
        .isLessThanOrEqualTo(Math.max(3, (long) (inventory.getLong("calls") * Defaults.RETRY_BUDGET_RATIO)));
    System.out.printf("breaker opened %d ms after the fault%n", timeToOpen.toMillis());

    endFault(faultId);
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      HttpResponse<String> after = api.get(token, "/api/v1/products/" + world.cheapSku);
      assertThat(after.headers().firstValue("Cache-Status")).isEmpty();
      assertThat(breaker("gateway->inventory").getString("state")).isEqualTo("CLOSED");
    });
  }

  @Test
  void aFailingInventoryIsAnsweredFromTheStaleCatalogueAndWithoutACacheIsA503() {
    String token = TestWorld.token(world.rich);
    api.get(token, "/api/v1/products");
    String faultId = injectFault("inventory", "fail", Duration.ofSeconds(30));

    // The fault API answers once the fault is in effect on the node that answered: the very next
    // request meets it.
    HttpResponse<String> neverCached = api.get(token, "/api/v1/products/" + world.priceySku);
    HttpResponse<String> stale = api.get(token, "/api/v1/products");

    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.headers().firstValue("Cache-Status")).isPresent();
    assertThat(neverCached.statusCode()).isEqualTo(503);
    assertThat(neverCached.headers().firstValue("Retry-After")).isPresent();
    assertThat(neverCached.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    endFault(faultId);
  }

  @Test
  void acceptsOrdersWhileTheUserServiceDoesNotAnswerAndTheSagaDecidesLater() {
    String token = TestWorld.token(world.rich);
    String faultId = injectFault("user", "silent", Duration.ofSeconds(30));

    HttpResponse<String> placed = api.placeOrder(token, TestWorld.order(world.cheapSku, 1));

    assertThat(placed.statusCode()).isEqualTo(202);
    String orderId = new JsonObject(placed.body()).getString("orderId");
    endFault(faultId);
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(api.getJson(token, "/api/v1/orders/" + orderId).getString("status")).isEqualTo("CONFIRMED"));
  }

  @Test
  void listsAndEndsFaultsAndRefusesNonsense() {
    String faultId = injectFault("notification", "slow", Duration.ofSeconds(30));
    JsonObject listed = api.getJson(admin, "/admin/faults");
    assertThat(listed.getJsonArray("faults").stream().map(f -> ((JsonObject) f).getString("id"))).contains(faultId);

    assertThat(postFault(new JsonObject().put("service", "nobody").put("mode", "silent").put("durationMs", 1000))
        .statusCode()).isEqualTo(400);
    assertThat(postFault(new JsonObject().put("service", "inventory").put("mode", "explode").put("durationMs", 1000))
        .statusCode()).isEqualTo(400);
    assertThat(postFault(new JsonObject().put("service", "inventory").put("mode", "silent")).statusCode())
        .isEqualTo(400);
    assertThat(postFault(new JsonObject().put("service", "inventory").put("mode", "silent").put("durationMs", 1000)
        .put("blastRadius", "everything")).statusCode()).as("an unknown field, as the contract says").isEqualTo(400);
    assertThat(api.get(admin, "/admin/consistency?slackMs=-5").statusCode()).as("below the contract's minimum")
        .isEqualTo(400);
    assertThat(api.send(HttpRequest.newBuilder(uri("/admin/faults"))
        .header("Authorization", "Bearer " + TestWorld.token(world.rich))
        .POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(403);

    endFault(faultId);
    assertThat(api.delete(admin, "/admin/faults/" + faultId).statusCode()).isEqualTo(404);
  }

  private List<CompletableFuture<HttpResponse<String>>> readConcurrently(String token, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> api.get(token, "/api/v1/products/" + world.cheapSku), readers))
        .toList();
  }

  private String injectFault(String service, String mode, Duration duration) {
    HttpResponse<String> response = postFault(new JsonObject().put("service", service).put("mode", mode)
        .put("delayMs", 3000).put("durationMs", duration.toMillis()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body()).getString("id");
  }

  private HttpResponse<String> postFault(JsonObject body) {
    return api.send(HttpRequest.newBuilder(uri("/admin/faults"))
        .header("Authorization", "Bearer " + admin)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private void endFault(String id) {
    assertThat(api.delete(admin, "/admin/faults/" + id).statusCode()).isEqualTo(204);
  }

  private JsonObject breaker(String name) {
    return api.getJson(admin, "/admin/breakers").getJsonArray("breakers").stream().map(JsonObject.class::cast)
        .filter(b -> name.equals(b.getString("name"))).findFirst().orElse(new JsonObject().put("state", "UNKNOWN"));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + node.httpPort() + path);
  }

  private static ResiliencePolicy withReset(ResiliencePolicy p) {
    return new ResiliencePolicy(p.timeout(), p.maxAttempts(), p.backoffBase(), p.backoffCap(), p.retryBudgetRatio(),
        p.budgetWindow(), p.breakerMaxFailures(), BREAKER_RESET, p.maxConcurrent());
  }
}
