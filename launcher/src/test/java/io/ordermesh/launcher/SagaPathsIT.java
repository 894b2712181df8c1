package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way an order ends, through the real gateway: each ends in the right state, with the right
 * compensation, the right notifications, and the invariants of ARCHITECTURE section 5 holding.
 */
class SagaPathsIT {

  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);

  private final TestWorld world = new TestWorld();
  private OrdermeshNode node;
  private Api api;

  @BeforeEach
  void startNode() {
    node = TestNodes.start(TestNodes.shared(), Service.all(), Optional.empty(), world.seed());
    api = new Api(node.httpPort());
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      TestNodes.join(node.stop());
    }
  }

  @Test
  void cancelsAConfirmedOrderAndGivesBackItsSoldStockAndCapturedCredit() {
    String token = TestWorld.token(world.careful);
    String orderId = placed(token, world.priceySku, 2);
    awaitStatus(token, orderId, "CONFIRMED");
    assertThat(credit(token)).isEqualTo("9760.00");

    assertThat(api.post(token, "/api/v1/orders/" + orderId + "/cancel").statusCode()).isEqualTo(202);

    JsonObject order = awaitStatus(token, orderId, "CANCELLED");
    assertThat(order.getString("reason")).isEqualTo("CANCELLED_BY_CUSTOMER");
    assertThat(statuses(order)).containsExactly("PENDING", "CONFIRMED", "CANCELLED");
    await().atMost(SAGA_TIMEOUT).untilAsserted(() -> {
      assertThat(credit(token)).isEqualTo("10000.00");
      assertThat(available(token, world.priceySku)).isEqualTo(1000);
    });
    awaitConsistent();
  }

  @Test
  void cancelsAnOrderRightAfterPlacingItAndCompensatesWhateverTheSagaHadReservedMeanwhile() {
    String token = TestWorld.token(world.careful);
    String orderId = placed(token, world.cheapSku, 5);

    assertThat(api.post(token, "/api/v1/orders/" + orderId + "/cancel").statusCode()).isEqualTo(202);

    JsonObject order = awaitStatus(token, orderId, "CANCELLED");
    assertThat(order.getString("reason")).isEqualTo("CANCELLED_BY_CUSTOMER");
    // The cancel races the saga: the order may have been confirmed in between (decision 15); either way
    // it ends cancelled and holds nothing.
    assertThat(statuses(order)).startsWith("PENDING").endsWith("CANCELLED");
    await().atMost(SAGA_TIMEOUT).untilAsserted(() -> {
      assertThat(credit(token)).isEqualTo("10000.00");
      assertThat(available(token, world.cheapSku)).isEqualTo(1000);
    });
    awaitConsistent();
  }

  @Test
  void cancellingTwiceChangesNothingAndAnotherCustomersOrderCannotBeCancelled() {
    String token = TestWorld.token(world.rich);
    String orderId = placed(token, world.cheapSku, 1);
    awaitStatus(token, orderId, "CONFIRMED");

    assertThat(api.post(TestWorld.token(world.poor), "/api/v1/orders/" + orderId + "/cancel").statusCode())
        .isEqualTo(404);
    assertThat(api.post(token, "/api/v1/orders/" + orderId + "/cancel").statusCode()).isEqualTo(202);
    assertThat(api.post(token, "/api/v1/orders/" + orderId + "/cancel").statusCode()).isEqualTo(202);

    JsonObject order = awaitStatus(token, orderId, "CANCELLED");
    assertThat(statuses(order)).containsExactly("PENDING", "CONFIRMED", "CANCELLED");
    awaitConsistent();
  }

  @Test
  void cancelsAnOrderForAnUnknownSkuAndNamesTheSku() {
    String token = TestWorld.token(world.rich);
    String orderId = placed(token, "NO-SUCH-SKU-" + world.cheapSku, 1);

    JsonObject order = awaitStatus(token, orderId, "CANCELLED");

    assertThat(order.getString("reason")).isEqualTo("UNKNOWN_SKU");
  }

  @Test
  void notifiesEachOutcomeOfAnOrderExactlyOnce() {
    String token = TestWorld.token(world.rich);
    String orderId = placed(token, world.cheapSku, 1);
    awaitStatus(token, orderId, "CONFIRMED");
    api.post(token, "/api/v1/orders/" + orderId + "/cancel");
    awaitStatus(token, orderId, "CANCELLED");

    await().atMost(SAGA_TIMEOUT).untilAsserted(() ->
        assertThat(mailboxOutcomesOf(orderId)).containsExactlyInAnyOrder("CONFIRMED", "CANCELLED"));
    // And no second copy of either comes later.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(mailboxOutcomesOf(orderId)).containsExactlyInAnyOrder("CONFIRMED", "CANCELLED"));
    awaitConsistent();
  }

  @Test
  void timesOutAnOrderNobodyAnswersAndReleasesItsStockOnceInventoryCatchesUp() {
    TestNodes.join(node.stop());
    OrdermeshConfig shortDeadline = TestNodes.withDeadline(TestNodes.shared(), Duration.ofSeconds(2));
    node = TestNodes.startUnchecked(shortDeadline,
        EnumSet.of(Service.ORDER, Service.USER, Service.NOTIFICATION, Service.GATEWAY), Optional.empty(), world.seed());
    api = new Api(node.httpPort());
    String token = TestWorld.token(world.careful);

    String orderId = placed(token, world.priceySku, 1);

    JsonObject order = awaitStatus(token, orderId, "CANCELLED");
    assertThat(order.getString("reason")).isEqualTo("TIMEOUT");
    assertThat(statuses(order)).containsExactly("PENDING", "CANCELLED");

    // Inventory comes back, reserves for the placed order, then sees its cancellation and releases.
    TestNodes.join(node.stop());
    node = TestNodes.start(TestNodes.shared(), Service.all(), Optional.empty(), world.seed());
    api = new Api(node.httpPort());
    String admin = TestWorld.token("timeline-admin", "admin");
    // Stock and credit read the same before inventory caught up as after: wait until it has applied both.
    await().atMost(SAGA_TIMEOUT).until(() -> steps(admin, orderId),
        steps -> steps.contains("inventory:OrderPlaced") && steps.contains("inventory:OrderCancelled"));
    assertThat(awaitStatus(token, orderId, "CANCELLED").getString("reason")).isEqualTo("TIMEOUT");
    await().atMost(SAGA_TIMEOUT).untilAsserted(() -> {
      assertThat(available(token, world.priceySku)).isEqualTo(1000);
      assertThat(credit(token)).isEqualTo("10000.00");
    });
    awaitConsistent();
  }

  @Test
  void showsAnOrdersJourneyAcrossServicesInTimeOrder() {
    String token = TestWorld.token(world.rich);
    String orderId = placed(token, world.cheapSku, 1);
    awaitStatus(token, orderId, "CONFIRMED");
    String admin = TestWorld.token("timeline-admin", "admin");

    JsonObject timeline = await().atMost(SAGA_TIMEOUT).until(
        () -> api.getJson(admin, "/admin/orders/" + orderId + "/timeline"),
        t -> t.getJsonArray("entries").stream().anyMatch(e -> ((JsonObject) e).getString("what").startsWith("sent")));

    List<String> steps = steps(timeline);
    assertThat(steps).containsSubsequence("order:PENDING", "inventory:OrderPlaced", "user:StockReserved",
        "order:CreditReserved", "order:CONFIRMED", "notification:OrderConfirmed");
    assertThat(steps).contains("notification:recorded CONFIRMED");
    assertThat(timeline.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("at")).toList())
        .isSorted();
    assertThat(timeline.getJsonArray("unavailable")).isEmpty();
    assertThat(api.get(token, "/admin/orders/" + orderId + "/timeline").statusCode()).isEqualTo(403);
  }

  @Test
  void streamsStatusChangesAsServerSentEventsUntilTheOrderIsTerminal() throws Exception {
    String token = TestWorld.token(world.rich);
    String orderId = placed(token, world.cheapSku, 1);

    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/orders/" + orderId
        + "/events")).header("Authorization", "Bearer " + token).timeout(SAGA_TIMEOUT).GET().build();
    var response = java.net.http.HttpClient.newHttpClient().send(request,
        java.net.http.HttpResponse.BodyHandlers.ofLines());

    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
        "text/event-stream"));
    List<String> statuses = response.body().filter(line -> line.startsWith("data: "))
        .map(line -> new JsonObject(line.substring("data: ".length())).getString("status")).toList();
    assertThat(statuses).isNotEmpty().last().isEqualTo("CONFIRMED");
    assertThat(List.of("PENDING", "CONFIRMED")).endsWith(statuses.toArray(String[]::new));
  }

  private List<String> steps(String admin, String orderId) {
    return steps(api.getJson(admin, "/admin/orders/" + orderId + "/timeline"));
  }

  /** An order's timeline as {@code service:what}, in time order. */
  private static List<String> steps(JsonObject timeline) {
    return timeline.getJsonArray("entries").stream().map(JsonObject.class::cast)
        .map(e -> e.getString("service") + ":" + e.getString("what")).toList();
  }

  private String placed(String token, String sku, int quantity) {
    var response = api.placeOrder(token, TestWorld.order(sku, quantity));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("orderId");
  }

  private JsonObject awaitStatus(String token, String orderId, String status) {
    return await().atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> api.getJson(token, "/api/v1/orders/" + orderId), o -> status.equals(o.getString("status")));
  }

  private void awaitConsistent() {
    await().atMost(SAGA_TIMEOUT).untilAsserted(() -> {
      JsonObject check = api.consistency(world.rich, world.careful, world.poor);
      assertThat(check.getJsonArray("violations")).isEmpty();
      assertThat(check.getBoolean("ok")).isTrue();
    });
  }

  private String credit(String token) {
    return api.getJson(token, "/api/v1/users/me").getString("creditAvailable");
  }

  private int available(String token, String sku) {
    return api.getJson(token, "/api/v1/products/" + sku).getInteger("available");
  }

  private List<String> mailboxOutcomesOf(String orderId) {
    int port = node.settings().config().notification().mailboxPort();
    var response = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages")).GET());
    JsonArray messages = new JsonObject(response.body()).getJsonArray("messages");
    return messages.stream().map(m -> ((JsonObject) m).getJsonObject("message"))
        .filter(m -> orderId.equals(m.getString("orderId")))
        .map(m -> m.getString("outcome"))
        .toList();
  }

  private static List<String> statuses(JsonObject order) {
    return order.getJsonArray("history").stream().map(h -> ((JsonObject) h).getString("status")).toList();
  }
}
