package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.config.OrdermeshConfig.NotificationConfig;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications reach a flaky provider exactly once per order outcome: failed attempts are retried
 * with backoff, a notification that still fails is parked and delivered on a later round, and every
 * attempt carries the same idempotency key.
 */
class NotificationDeliveryIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** More failures than one round's attempts, so the notification must be parked once. */
  private static final int FAILURES = 4;

  private final Vertx vertx = Vertx.vertx();
  private final TestWorld world = new TestWorld();
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<String> deliveredKeys = new CopyOnWriteArrayList<>();
  private OrdermeshNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      TestNodes.join(node.stop());
    }
    vertx.close();
  }

  @Test
  void aProviderRefusingNotificationsWith4xxDoesNotOpenTheBreakerForTheOthers() {
    List<String> refusedKeys = new CopyOnWriteArrayList<>();
    AtomicBoolean accepting = new AtomicBoolean();
    HttpServer provider = TestNodes.join(vertx.createHttpServer().requestHandler(request -> {
      if (!accepting.get()) {
        refusedKeys.add(request.getHeader("Idempotency-Key"));
        request.response().setStatusCode(422).end();
        return;
      }
      deliveredKeys.add(request.getHeader("Idempotency-Key"));
      request.response().setStatusCode(202).end();
    }).listen(0, "127.0.0.1"));
    // A breaker that two failures open and that stays open for a minute, and parked notifications that
    // wait a minute too: had the refusals opened it, the next notification would not arrive in time.
    node = start(new NotificationConfig("http://127.0.0.1:" + provider.actualPort() + "/hook",
        Duration.ofSeconds(1), 3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMinutes(1), 2,
        Duration.ofMinutes(1), 0));
    Api api = new Api(node.httpPort());
    String token = TestWorld.token(world.rich);

    List<String> refusedOrders = IntStream.range(0, 3)
        .mapToObj(i -> new JsonObject(api.placeOrder(token, TestWorld.order(world.cheapSku, 1)).body())
            .getString("orderId") + ":CONFIRMED")
        .toList();
    await().atMost(TIMEOUT).until(() -> refusedKeys.containsAll(refusedOrders));
    accepting.set(true);
    String orderId = new JsonObject(api.placeOrder(token, TestWorld.order(world.cheapSku, 1)).body())
        .getString("orderId");

    await().atMost(Duration.ofSeconds(15)).until(() -> deliveredKeys.contains(orderId + ":CONFIRMED"));
    assertThat(refusedKeys.stream().filter(refusedOrders::contains))
        .as("each refused once: a 4xx is not retried").hasSize(refusedOrders.size());
  }

  /** The node's notification deliveries so far with this outcome (the registry is this JVM's). */
  private static double deliveries(String outcome) {
    var counter = Metrics.registry().find("ordermesh.notification.deliveries").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private OrdermeshNode start(NotificationConfig notifications) {
    OrdermeshConfig base = TestNodes.shared();
    return TestNodes.start(new OrdermeshConfig(base.nodeId(), base.http(), base.postgres(), base.kafka(), base.saga(),
        base.auth(), base.bus(), base.outbox(), base.consumer(), notifications, base.gateway()), Service.all(),
        Optional.empty(), world.seed());
  }

  @Test
  void parksANotificationThatKeepsFailingAndDeliversItOnceLater() {
    HttpServer provider = TestNodes.join(vertx.createHttpServer().requestHandler(request -> {
      if (attempts.incrementAndGet() <= FAILURES) {
        request.response().setStatusCode(503).end();
        return;
      }
      deliveredKeys.add(request.getHeader("Idempotency-Key"));
      request.response().setStatusCode(202).end();
    }).listen(0, "127.0.0.1"));
    OrdermeshConfig base = TestNodes.shared();
    NotificationConfig flaky = new NotificationConfig("http://127.0.0.1:" + provider.actualPort() + "/hook",
        Duration.ofSeconds(1), 3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(1), 50,
        Duration.ofSeconds(1), 0);
    node = TestNodes.start(new OrdermeshConfig(base.nodeId(), base.http(), base.postgres(), base.kafka(), base.saga(),
        base.auth(), base.bus(), base.outbox(), base.consumer(), flaky, base.gateway()), Service.all(), Optional.empty(),
        world.seed());
    Api api = new Api(node.httpPort());
    String token = TestWorld.token(world.rich);
    double parkedBefore = deliveries("parked");
    double sentBefore = deliveries("sent");

    String orderId = new JsonObject(api.placeOrder(token, TestWorld.order(world.cheapSku, 1)).body())
        .getString("orderId");

    await().atMost(TIMEOUT).until(() -> deliveredKeys.contains(orderId + ":CONFIRMED"));
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(deliveries("sent")).isGreaterThan(sentBefore));
    assertThat(deliveries("parked")).as("its failed rounds are counted").isGreaterThan(parkedBefore);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(deliveredKeys.stream().filter(k -> k.startsWith(orderId))).containsExactly(orderId + ":CONFIRMED"));
    assertThat(attempts.get()).isGreaterThan(FAILURES);
    assertThat(Metrics.registry().find("ordermesh.breaker.state").tag("dependency", "notification->provider").gauge())
        .as("the provider's breaker is a metric like every other dependency's").isNotNull();
    assertThat(Metrics.registry().find("ordermesh.dependency.retries").tag("dependency", "notification->provider")
        .functionCounter()).isNotNull();
    // And the service knows it delivered it: marked SENT, which is what stops the next round's retry.
    String admin = TestWorld.token("notification-admin", "admin");
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(api.getJson(admin, "/admin/orders/" + orderId + "/timeline").getJsonArray("entries").stream()
            .map(e -> ((JsonObject) e).getString("what")))
            .anyMatch(what -> what.startsWith("sent CONFIRMED")));
  }
}
