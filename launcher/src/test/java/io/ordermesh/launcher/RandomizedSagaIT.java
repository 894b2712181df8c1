package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventType;
import io.ordermesh.launcher.RandomSagaWorld.Customer;
import io.ordermesh.launcher.RandomSagaWorld.Line;
import io.ordermesh.launcher.RandomSagaWorld.Plan;
import io.ordermesh.launcher.RandomSagaWorld.Product;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A few hundred concurrent orders from a random but replayable workload (mixed credit and stock,
 * unknown skus, unknown customers, customer cancellations racing the saga, a short deadline) all end
 * CONFIRMED or CANCELLED for an allowed reason, and every invariant holds: stock and credit are
 * conserved, cancelled orders hold nothing, confirmed orders hold exactly their lines and total, each
 * outcome is notified once. Orders nobody answers time out and hold nothing once inventory is back.
 *
 * <p>The seed is printed and can be set with {@code -Dordermesh.randomSeed=N}; it fixes the world and
 * the orders, not the interleaving, which is the point.
 */
class RandomizedSagaIT {

  private static final String SEED_PROPERTY = "ordermesh.randomSeed";
  private static final int ORDERS = 300;
  private static final int CLIENT_THREADS = 8;
  private static final Duration DEADLINE = Duration.ofSeconds(3);
  private static final Duration SHORT_DEADLINE = Duration.ofSeconds(2);
  private static final Duration ALL_TERMINAL_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_ATTEMPTS = 6;
  private static final Duration RETRY_BASE = Duration.ofMillis(200);
  private static final int TIMEOUT_ORDERS = 5;
  private static final int LIST_LIMIT = 100;

  private static final Set<String> REASONS = Set.of("OUT_OF_STOCK", "UNKNOWN_SKU", "UNKNOWN_CUSTOMER",
      "CREDIT_LIMIT_EXCEEDED", "CANCELLED_BY_CUSTOMER", "TIMEOUT");
  private static final Set<String> REASONS_WITH_UNKNOWN_SKU = Set.of("UNKNOWN_SKU", "CANCELLED_BY_CUSTOMER", "TIMEOUT");
  private static final List<List<String>> HISTORIES = List.of(
      List.of("PENDING", "CONFIRMED"), List.of("PENDING", "CANCELLED"), List.of("PENDING", "CONFIRMED", "CANCELLED"));

  private final List<OrdermeshNode> nodes = new ArrayList<>();
  private final AtomicInteger retries = new AtomicInteger();
  private ExecutorService clients;

  /** What one plan got from the gateway. */
  private record Placement(Plan plan, int status, String body, String orderId, Integer cancelStatus) {
    boolean placed() {
      return orderId != null;
    }
  }

  @AfterEach
  void stopNodes() {
    if (clients != null) {
      clients.shutdownNow();
    }
    nodes.forEach(n -> TestNodes.join(n.stop()));
  }

  @Test
  void aFewHundredConcurrentOrdersEndTerminalWithEveryInvariantHolding() {
    long seed = Long.getLong(SEED_PROPERTY, new java.util.Random().nextLong());
    System.out.printf("RandomizedSagaIT seed %d (replay with -D%s=%d)%n", seed, SEED_PROPERTY, seed);
    RandomSagaWorld world = RandomSagaWorld.generate(seed, ORDERS);
    SagaProbe probe = new SagaProbe(start(TestNodes.withDeadline(TestNodes.shared(), DEADLINE), Service.all(),
        world.seed(), true));
    world.subjects().forEach(SagaProbe::token);
    clients = Executors.newFixedThreadPool(CLIENT_THREADS);
    long started = System.nanoTime();

    List<Placement> placements = placeAll(probe, world.plans());
    long placedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertEveryPlacementWasAnswered(world, placements);
    List<Placement> placed = placements.stream().filter(Placement::placed).toList();
    await("every placed order is terminal").atMost(ALL_TERMINAL_TIMEOUT).pollInterval(Duration.ofMillis(250))
        .until(() -> world.subjects().stream().noneMatch(probe::hasPendingOrders));
    Map<String, JsonObject> finals = inParallel(placed, p -> probe.order(p.plan().customer(), p.orderId())).stream()
        .collect(Collectors.toMap(o -> o.getString("orderId"), o -> o));

    assertEachOutcomeFitsItsOrder(world, placed, finals);
    assertListingsShowExactlyThePlacedOrders(probe, world, placed);
    probe.awaitConsistent(world.subjects());
    awaitStockAndCreditAccountFor(probe, world, placed, finals);
    report(seed, placements, finals, placedMs, started);
  }

  @Test
  void ordersNobodyAnswersTimeOutAndHoldNothingOnceInventoryIsBack() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String customer = "late-" + run;
    String sku = "LATE-" + run;
    int stock = 10;
    JsonObject seed = new JsonObject()
        .put("customers", new JsonArray().add(new JsonObject().put("id", customer).put("name", customer)
            .put("email", customer + "@test.invalid").put("creditLimit", "1000.00")))
        .put("products", new JsonArray().add(new JsonObject().put("sku", sku).put("name", sku)
            .put("price", "7.50").put("stock", stock)));
    OrdermeshNode withoutInventory = start(TestNodes.withDeadline(TestNodes.shared(), SHORT_DEADLINE),
        EnumSet.of(Service.USER, Service.ORDER, Service.NOTIFICATION, Service.GATEWAY), seed, false);
    SagaProbe early = new SagaProbe(withoutInventory);
    String token = SagaProbe.token(customer);

    List<String> orderIds = IntStream.range(0, TIMEOUT_ORDERS)
        .mapToObj(i -> early.api().placeOrder(token, TestWorld.order(sku, 1 + i % 2)))
        .map(r -> {
          assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
          return new JsonObject(r.body()).getString("orderId");
        })
        .toList();
    for (String orderId : orderIds) {
      JsonObject order = await().atMost(SagaProbe.SETTLE_TIMEOUT)
          .until(() -> early.order(customer, orderId), o -> !"PENDING".equals(o.getString("status")));
      assertThat(order.getString("status")).isEqualTo("CANCELLED");
      assertThat(order.getString("reason")).isEqualTo("TIMEOUT");
      assertThat(statuses(order)).containsExactly("PENDING", "CANCELLED");
    }
    stop(withoutInventory);

    // Inventory now sees OrderPlaced (and reserves) before OrderCancelled (and releases).
    SagaProbe probe = new SagaProbe(start(TestNodes.shared(), Service.all(), seed, true));
    await("inventory released what it reserved late").atMost(SagaProbe.SETTLE_TIMEOUT).untilAsserted(() ->
        assertThat(DomainTopics.recordsOf(Set.copyOf(orderIds)).stream()
            .filter(r -> EventType.STOCK_RELEASED.wireName().equals(DomainTopics.header(r, EventHeaders.TYPE)))
            .map(ConsumerRecord::key)).containsExactlyInAnyOrderElementsOf(orderIds));
    probe.awaitConsistent(List.of(customer));
    await().atMost(SagaProbe.SETTLE_TIMEOUT).untilAsserted(() -> {
      assertThat(probe.available(sku)).isEqualTo(stock);
      assertThat(probe.creditAvailable(customer)).isEqualByComparingTo("1000.00");
    });
  }

  private OrdermeshNode start(OrdermeshConfig config, Set<Service> services, JsonObject seed, boolean awaitReady) {
    OrdermeshNode node = awaitReady
        ? TestNodes.start(config, services, Optional.empty(), seed)
        : TestNodes.startUnchecked(config, services, Optional.empty(), seed);
    nodes.add(node);
    return node;
  }

  private void stop(OrdermeshNode node) {
    nodes.remove(node);
    TestNodes.join(node.stop());
  }

  private List<Placement> placeAll(SagaProbe probe, List<Plan> plans) {
    List<CompletableFuture<Placement>> futures = plans.stream()
        .map(plan -> CompletableFuture.supplyAsync(() -> place(probe, plan), clients)
            .thenCompose(p -> p.placed() && plan.cancel()
                ? CompletableFuture.supplyAsync(() -> cancel(probe, p),
                    CompletableFuture.delayedExecutor(plan.cancelDelayMs(), TimeUnit.MILLISECONDS, clients))
                : CompletableFuture.completedFuture(p)))
        .toList();
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private <T, R> List<R> inParallel(List<T> items, Function<T, R> work) {
    List<CompletableFuture<R>> futures = items.stream()
        .map(item -> CompletableFuture.supplyAsync(() -> work.apply(item), clients))
        .toList();
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private Placement place(SagaProbe probe, Plan plan) {
    String token = SagaProbe.token(plan.customer());
    HttpResponse<String> placed = withRetries(() -> probe.api().placeOrder(token, plan.idempotencyKey(), plan.body()));
    String orderId = placed.statusCode() == 202 ? new JsonObject(placed.body()).getString("orderId") : null;
    return new Placement(plan, placed.statusCode(), placed.body(), orderId, null);
  }

  /** The order may be PENDING or already CONFIRMED (or rejected) by now: all are fine to cancel. */
  private Placement cancel(SagaProbe probe, Placement placement) {
    String token = SagaProbe.token(placement.plan().customer());
    int status = withRetries(() -> probe.api().post(token, "/api/v1/orders/" + placement.orderId() + "/cancel"))
        .statusCode();
    return new Placement(placement.plan(), placement.status(), placement.body(), placement.orderId(), status);
  }

  /**
   * Retries what a careful client retries: connection failures, 429 and 5xx. Placing again with the same
   * Idempotency-Key and cancelling again are both safe by contract.
   */
  private HttpResponse<String> withRetries(Supplier<HttpResponse<String>> call) {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = null;
      try {
        response = call.get();
        if (!isTransient(response.statusCode())) {
          return response;
        }
      } catch (UncheckedIOException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw e;
        }
      }
      if (attempt == MAX_ATTEMPTS) {
        return response;
      }
      retries.incrementAndGet();
      backOff(retryDelay(response, attempt));
    }
  }

  private static boolean isTransient(int status) {
    return status == 429 || status >= 500;
  }

  private static Duration retryDelay(HttpResponse<String> response, int attempt) {
    Optional<String> retryAfter = response == null ? Optional.empty() : response.headers().firstValue("Retry-After");
    return retryAfter.filter(s -> s.trim().matches("\\d+")).map(s -> Duration.ofSeconds(Long.parseLong(s.trim())))
        .orElse(RETRY_BASE.multipliedBy(attempt));
  }

  /** A client's pause before its next attempt; nothing in the test waits on time otherwise. */
  private static void backOff(Duration delay) {
    CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
        .join();
  }

  /** Known customers are accepted; unknown ones are refused early, or accepted when the check degraded. */
  private static void assertEveryPlacementWasAnswered(RandomSagaWorld world, List<Placement> placements) {
    SoftAssertions soft = new SoftAssertions();
    for (Placement p : placements) {
      if (world.isGhost(p.plan().customer())) {
        soft.assertThat(p.status()).as("order %d of unknown %s: %s", p.plan().index(), p.plan().customer(), p.body())
            .isIn(202, 422);
      } else {
        soft.assertThat(p.status()).as("order %d of %s: %s", p.plan().index(), p.plan().customer(), p.body())
            .isEqualTo(202);
      }
      if (p.cancelStatus() != null) {
        soft.assertThat(p.cancelStatus()).as("cancel of order %d", p.plan().index()).isEqualTo(202);
      }
    }
    soft.assertAll();
  }

  private static void assertEachOutcomeFitsItsOrder(RandomSagaWorld world, List<Placement> placed,
      Map<String, JsonObject> finals) {
    SoftAssertions soft = new SoftAssertions();
    for (Placement p : placed) {
      JsonObject order = finals.get(p.orderId());
      String what = "order " + p.plan().index() + " " + order.encode();
      soft.assertThat(order.getString("status")).as(what).isIn("CONFIRMED", "CANCELLED");
      soft.assertThat(statuses(order)).as(what).isIn(HISTORIES);
      soft.assertThat(statuses(order)).as(what).last().isEqualTo(order.getString("status"));
      soft.assertThat(linesOf(order)).as(what).isEqualTo(p.plan().lines());
      if ("CONFIRMED".equals(order.getString("status"))) {
        assertConfirmedFits(soft, world, p, order, what);
      } else {
        assertCancelledFits(soft, world, p, order, what);
      }
    }
    soft.assertAll();
  }

  private static void assertConfirmedFits(SoftAssertions soft, RandomSagaWorld world, Placement p, JsonObject order,
      String what) {
    soft.assertThat(order.getString("reason")).as(what).isNull();
    soft.assertThat(world.isGhost(p.plan().customer())).as("confirmed for an unknown customer: " + what).isFalse();
    soft.assertThat(p.cancelStatus()).as("confirmed although cancelled: " + what).isNull();
    if (!world.isGhost(p.plan().customer())) {
      soft.assertThat(world.customer(p.plan().customer()).creditLimit().signum()).as("confirmed on no credit: " + what)
          .isPositive();
    }
    BigDecimal expected = BigDecimal.ZERO;
    for (Line line : p.plan().lines()) {
      soft.assertThat(line.sku()).as("confirmed with an unknown sku: " + what).isNotEqualTo(world.unknownSku());
      if (!line.sku().equals(world.unknownSku())) {
        Product product = world.product(line.sku());
        soft.assertThat(product.stock()).as("confirmed from an empty shelf: " + what).isPositive();
        expected = expected.add(product.price().multiply(BigDecimal.valueOf(line.quantity())));
      }
    }
    soft.assertThat(new BigDecimal(order.getString("total"))).as(what).isEqualByComparingTo(expected);
    order.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(l -> !l.getString("sku").equals(world.unknownSku()))
        .forEach(l -> soft.assertThat(new BigDecimal(l.getString("unitPrice"))).as(what)
            .isEqualByComparingTo(world.product(l.getString("sku")).price()));
  }

  private static void assertCancelledFits(SoftAssertions soft, RandomSagaWorld world, Placement p, JsonObject order,
      String what) {
    String reason = order.getString("reason");
    soft.assertThat(reason).as(what).isIn(REASONS);
    if ("CANCELLED_BY_CUSTOMER".equals(reason)) {
      soft.assertThat(p.plan().cancel()).as("cancelled by a customer who did not: " + what).isTrue();
    }
    if (p.plan().lines().stream().anyMatch(l -> l.sku().equals(world.unknownSku()))) {
      soft.assertThat(reason).as(what).isIn(REASONS_WITH_UNKNOWN_SKU);
    }
    if ("UNKNOWN_CUSTOMER".equals(reason)) {
      soft.assertThat(world.isGhost(p.plan().customer())).as(what).isTrue();
    }
  }

  /** No order appears that nobody placed (listings show at most 100, and no subject has that many). */
  private static void assertListingsShowExactlyThePlacedOrders(SagaProbe probe, RandomSagaWorld world,
      List<Placement> placed) {
    for (String subject : world.subjects()) {
      Set<String> expected = placed.stream().filter(p -> p.plan().customer().equals(subject))
          .map(Placement::orderId).collect(Collectors.toSet());
      JsonArray listed = probe.api().getJson(SagaProbe.token(subject), "/api/v1/orders?limit=" + LIST_LIMIT)
          .getJsonArray("orders");
      Set<String> ids = new HashSet<>();
      listed.forEach(o -> ids.add(((JsonObject) o).getString("orderId")));
      assertThat(ids).as("orders listed for " + subject).isEqualTo(expected);
    }
  }

  /** Stock on the shelf plus what confirmed orders bought is the initial stock; credit likewise. */
  private static void awaitStockAndCreditAccountFor(SagaProbe probe, RandomSagaWorld world, List<Placement> placed,
      Map<String, JsonObject> finals) {
    List<JsonObject> confirmed = placed.stream().map(p -> finals.get(p.orderId()))
        .filter(o -> "CONFIRMED".equals(o.getString("status"))).toList();
    Map<String, Integer> sold = new TreeMap<>();
    Map<String, BigDecimal> spent = new TreeMap<>();
    for (JsonObject order : confirmed) {
      linesOf(order).forEach(l -> sold.merge(l.sku(), l.quantity(), Integer::sum));
      spent.merge(order.getString("customerId"), new BigDecimal(order.getString("total")), BigDecimal::add);
    }
    await("stock and credit account for the confirmed orders").atMost(SagaProbe.SETTLE_TIMEOUT).untilAsserted(() -> {
      SoftAssertions soft = new SoftAssertions();
      for (Product product : world.products()) {
        soft.assertThat(probe.available(product.sku())).as("available " + product.sku())
            .isEqualTo(product.stock() - sold.getOrDefault(product.sku(), 0));
      }
      for (Customer customer : world.customers()) {
        soft.assertThat(probe.creditAvailable(customer.id())).as("credit available " + customer.id())
            .isEqualByComparingTo(customer.creditLimit().subtract(spent.getOrDefault(customer.id(), BigDecimal.ZERO)));
      }
      soft.assertAll();
    });
  }

  private void report(long seed, List<Placement> placements, Map<String, JsonObject> finals, long placedMs,
      long startedNanos) {
    Map<String, Long> mix = new TreeMap<>(finals.values().stream().collect(Collectors.groupingBy(
        o -> o.getString("status") + (o.getString("reason") == null ? "" : "/" + o.getString("reason")),
        Collectors.counting())));
    long refused = placements.stream().filter(p -> p.status() == 422).count();
    long cancels = placements.stream().filter(p -> p.cancelStatus() != null).count();
    long cancelledAfterConfirmation = finals.values().stream()
        .filter(o -> statuses(o).equals(List.of("PENDING", "CONFIRMED", "CANCELLED"))).count();
    System.out.printf("RandomizedSagaIT seed %d: %d orders placed, %d refused (422), %d cancel requests (%d of them "
            + "after confirmation), %d client retries, outcomes %s, placed in %d ms, all checked after %d ms%n", seed,
        finals.size(), refused, cancels, cancelledAfterConfirmation, retries.get(), mix, placedMs,
        Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
  }

  private static List<String> statuses(JsonObject order) {
    return order.getJsonArray("history").stream().map(h -> ((JsonObject) h).getString("status")).toList();
  }

  private static List<Line> linesOf(JsonObject order) {
    return order.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .map(l -> new Line(l.getString("sku"), l.getInteger("quantity"))).toList();
  }
}
