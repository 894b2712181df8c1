package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The saga through the real gateway, on real PostgreSQL and Kafka. */
class OrderSagaEndToEndIT {

  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(20);

  private static final TestWorld world = new TestWorld();
  private static OrdermeshNode node;
  private static Api api;

  @BeforeAll
  static void startNode() {
    EmbeddedInfra infra = TestInfra.shared();
    node = TestNodes.start(TestNodes.config(infra.postgresUri().orElseThrow(), infra.kafkaBootstrap().orElseThrow()),
        Service.all(), Optional.empty(), world.seed());
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      TestNodes.join(node.stop());
    }
  }

  @Test
  void confirmsAnOrderWhenStockAndCreditAreReserved() {
    String token = TestWorld.token(world.careful);

    HttpResponse<String> placed = api.placeOrder(token, TestWorld.order(world.cheapSku, 2));

    assertThat(placed.statusCode()).isEqualTo(202);
    String orderId = new JsonObject(placed.body()).getString("orderId");
    assertThat(new JsonObject(placed.body()).getString("status")).isEqualTo("PENDING");
    assertThat(placed.headers().firstValue("Location")).hasValue("/api/v1/orders/" + orderId);

    JsonObject order = awaitTerminal(token, orderId);
    assertThat(order.getString("status")).isEqualTo("CONFIRMED");
    assertThat(order.getString("customerId")).isEqualTo(world.careful);
    assertThat(order.getString("total")).isEqualTo("19.98");
    assertThat(order.getJsonArray("lines").getJsonObject(0).getString("unitPrice")).isEqualTo("9.99");
    assertThat(order.getJsonArray("history").stream().map(h -> ((JsonObject) h).getString("status")))
        .containsExactly("PENDING", "CONFIRMED");
    assertThat(api.getJson(token, "/api/v1/users/me").getString("creditAvailable")).isEqualTo("9980.02");
  }

  /** The placement's customer check leaves a view of the customer behind: the saga's credit step must drop it. */
  @Test
  void showsTheCreditAConfirmedOrderTookThoughThePlacementReadTheCustomerBefore() {
    String token = TestWorld.token(world.watched);
    String before = api.getJson(token, "/api/v1/users/me").getString("creditAvailable");

    String orderId = orderIdOf(api.placeOrder(token, TestWorld.order(world.cheapSku, 1)));

    assertThat(awaitTerminal(token, orderId).getString("status")).isEqualTo("CONFIRMED");
    assertThat(new BigDecimal(api.getJson(token, "/api/v1/users/me").getString("creditAvailable")))
        .isEqualByComparingTo(new BigDecimal(before).subtract(new BigDecimal("9.99")));
  }

  @Test
  void readsTheProfileFromTheDatabaseWhenTheClientSaysNoCache() {
    String token = TestWorld.token(world.careful);
    api.getJson(token, "/api/v1/users/me");
    double fromViews = profileReads("view");
    double fresh = profileReads("fresh");

    api.getJson(token, "/api/v1/users/me");
    HttpResponse<String> noCache = api.send(HttpRequest.newBuilder(api.uri("/api/v1/users/me"))
        .header("Authorization", "Bearer " + token).header("Cache-Control", "no-cache").GET());
    HttpResponse<String> pragmaNoCache = api.send(HttpRequest.newBuilder(api.uri("/api/v1/users/me"))
        .header("Authorization", "Bearer " + token).header("Pragma", "no-cache").GET());

    assertThat(noCache.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(noCache.body()).getString("id")).isEqualTo(world.careful);
    assertThat(pragmaNoCache.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(pragmaNoCache.body()).getString("id")).isEqualTo(world.careful);
    assertThat(profileReads("view")).isEqualTo(fromViews + 1);
    assertThat(profileReads("fresh")).isEqualTo(fresh + 2);
  }

  private static double profileReads(String from) {
    return Metrics.registry().get("ordermesh.user.profile.reads").tag("from", from).counter().count();
  }

  @Test
  void cancelsAnOrderForStockThatIsSoldOut() {
    String token = TestWorld.token(world.rich);

    String orderId = orderIdOf(api.placeOrder(token, TestWorld.order(world.soldOutSku, 1)));

    JsonObject order = awaitTerminal(token, orderId);
    assertThat(order.getString("status")).isEqualTo("CANCELLED");
    assertThat(order.getString("reason")).isEqualTo("OUT_OF_STOCK");
  }

  @Test
  void cancelsAnOrderAndReleasesItsStockWhenCreditIsRejected() {
    String token = TestWorld.token(world.poor);
    int availableBefore = available(token, world.priceySku);

    String orderId = orderIdOf(api.placeOrder(token, TestWorld.order(world.priceySku, 1)));

    JsonObject order = awaitTerminal(token, orderId);
    assertThat(order.getString("status")).isEqualTo("CANCELLED");
    assertThat(order.getString("reason")).isEqualTo("CREDIT_LIMIT_EXCEEDED");
    await().atMost(SAGA_TIMEOUT).untilAsserted(() ->
        assertThat(available(token, world.priceySku)).isEqualTo(availableBefore));
    assertThat(api.getJson(token, "/api/v1/users/me").getString("creditAvailable")).isEqualTo("50.00");
  }

  @Test
  void replaysTheFirstAnswerForARepeatedIdempotencyKeyAndRefusesAnotherBody() {
    String token = TestWorld.token(world.rich);
    String key = UUID.randomUUID().toString();

    HttpResponse<String> first = api.placeOrder(token, key, TestWorld.order(world.cheapSku, 1));
    HttpResponse<String> again = api.placeOrder(token, key, TestWorld.order(world.cheapSku, 1));
    HttpResponse<String> other = api.placeOrder(token, key, TestWorld.order(world.cheapSku, 3));

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(orderIdOf(again)).isEqualTo(orderIdOf(first));
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void hidesOtherCustomersOrdersAsNotFound() {
    String orderId = orderIdOf(api.placeOrder(TestWorld.token(world.rich), TestWorld.order(world.cheapSku, 1)));

    HttpResponse<String> response = api.get(TestWorld.token(world.poor), "/api/v1/orders/" + orderId);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(response.body()).getString("correlationId")).isNotBlank();
  }

  @Test
  void refusesRequestsWithoutAToken() {
    HttpResponse<String> response = api.get(null, "/api/v1/products");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void reportsReadyWhenEveryServiceIsUp() {
    HttpResponse<String> ready = api.get(null, "/health/ready");

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("UP");
  }

  private static JsonObject awaitTerminal(String token, String orderId) {
    return await().atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> api.getJson(token, "/api/v1/orders/" + orderId),
            order -> !"PENDING".equals(order.getString("status")));
  }

  private static int available(String token, String sku) {
    return api.getJson(token, "/api/v1/products/" + sku).getInteger("available");
  }

  private static String orderIdOf(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("orderId");
  }
}
