package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three hundred concurrent sagas with everything going on at once: customers running out of credit,
 * products running out of stock, unknown skus, customers cancelling at random moments, and orders
 * timing out because inventory was away. Every order ends terminal, and stock and credit add up to
 * exactly what the confirmed orders took. The random seed is printed; {@code -Dsagas.seed=} replays it.
 */
class ConcurrentSagasIT {

  private static final long SEED = Long.getLong("sagas.seed", System.nanoTime());
  private static final int ORDERS_WHILE_INVENTORY_IS_AWAY = 30;
  private static final int ORDERS = 270;
  private static final double CANCEL_SHARE = 0.15;
  private static final Duration SHORT_DEADLINE = Duration.ofSeconds(2);
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final Set<String> REASONS = Set.of("OUT_OF_STOCK", "UNKNOWN_SKU", "CREDIT_LIMIT_EXCEEDED",
      "CANCELLED_BY_CUSTOMER", "TIMEOUT");

  private final String run = UUID.randomUUID().toString().substring(0, 6);
  private final Map<String, BigDecimal> creditLimits = new HashMap<>();
  private final Map<String, BigDecimal> prices = new HashMap<>();
  private final Map<String, Integer> stock = new HashMap<>();
  private final Map<String, Placed> placed = Collections.synchronizedMap(new HashMap<>());
  private final ExecutorService clients = Executors.newFixedThreadPool(8);
  private OrdermeshNode node;

  /** An order as the test placed it. */
  private record Placed(String orderId, String customer, JsonArray lines) {
  }

  @AfterEach
  void stop() {
    clients.shutdownNow();
    if (node != null) {
      TestNodes.join(node.stop());
    }
  }

  @Test
  void everyOrderEndsTerminalAndStockAndCreditAddUpToTheConfirmedOrders() {
    Random random = new Random(SEED);
    System.out.println("concurrent sagas seed " + SEED + " (replay with -Dsagas.seed=" + SEED + ")");
    JsonObject seed = world();

    // Inventory is away: these orders time out (or are cancelled by their customer first).
    node = TestNodes.startUnchecked(TestNodes.withDeadline(TestNodes.shared(), SHORT_DEADLINE),
        EnumSet.of(Service.ORDER, Service.USER, Service.NOTIFICATION, Service.GATEWAY), Optional.empty(), seed);
    placeConcurrently(new Api(node.httpPort()), random, ORDERS_WHILE_INVENTORY_IS_AWAY);
    await().atMost(SETTLE).until(() -> allTerminal(new Api(node.httpPort())));
    TestNodes.join(node.stop());

    // Everything is back; inventory catches up on the dead orders while new ones pour in.
    node = TestNodes.start(TestNodes.shared(), Service.all(), Optional.empty(), seed);
    Api api = new Api(node.httpPort());
    placeConcurrently(api, random, ORDERS);
    await().atMost(SETTLE).until(() -> allTerminal(api));

    Map<String, JsonObject> finals = finalStates(api);
    Map<String, Long> mix = finals.values().stream().collect(Collectors.groupingBy(
        o -> o.getString("status") + (o.getString("reason") == null ? "" : "/" + o.getString("reason")),
        Collectors.counting()));
    System.out.println("outcomes: " + mix);
    assertThat(finals.values()).allSatisfy(o -> {
      assertThat(o.getString("status")).isIn("CONFIRMED", "CANCELLED");
      if ("CANCELLED".equals(o.getString("status"))) {
        assertThat(o.getString("reason")).isIn(REASONS);
      }
    });
    assertThat(mix.keySet()).contains("CONFIRMED", "CANCELLED/TIMEOUT", "CANCELLED/CANCELLED_BY_CUSTOMER",
        "CANCELLED/CREDIT_LIMIT_EXCEEDED", "CANCELLED/OUT_OF_STOCK");
    await().atMost(SETTLE).untilAsserted(() -> {
      JsonObject check = api.consistency(creditLimits.keySet().toArray(String[]::new));
      assertThat(check.getJsonArray("violations")).as("seed %d", SEED).isEmpty();
      assertStockMatchesConfirmedOrders(api, finals);
      assertCreditMatchesConfirmedOrders(api, finals);
    });
    // Checked a page of 7 at a time, the same orders are checked with the same outcome.
    String[] customers = creditLimits.keySet().toArray(String[]::new);
    JsonObject paged = api.consistencyInPages(7, customers);
    assertThat(paged.getInteger("checkedOrders")).isEqualTo(api.consistency(customers).getInteger("checkedOrders"))
        .isGreaterThan(7);
    assertThat(paged.getJsonArray("violations")).isEmpty();
  }

  private JsonObject world() {
    String[][] customers = {{"c1", "10000.00"}, {"c2", "10000.00"}, {"c3", "500.00"}, {"c4", "200.00"},
        {"c5", "50.00"}, {"c6", "0.00"}};
    String[][] products = {{"p1", "9.99", "1000"}, {"p2", "24.50", "200"}, {"p3", "120.00", "20"},
        {"p4", "15.00", "5"}, {"p5", "5.00", "0"}};
    JsonArray customerSeed = new JsonArray();
    for (String[] c : customers) {
      String id = c[0] + "-" + run;
      creditLimits.put(id, new BigDecimal(c[1]));
      customerSeed.add(new JsonObject().put("id", id).put("name", id).put("email", id + "@test.invalid")
          .put("creditLimit", c[1]));
    }
    JsonArray productSeed = new JsonArray();
    for (String[] p : products) {
      String sku = p[0].toUpperCase() + "-" + run;
      prices.put(sku, new BigDecimal(p[1]));
      stock.put(sku, Integer.parseInt(p[2]));
      productSeed.add(new JsonObject().put("sku", sku).put("name", sku).put("price", p[1])
          .put("stock", Integer.parseInt(p[2])));
    }
    return new JsonObject().put("customers", customerSeed).put("products", productSeed);
  }

  private void placeConcurrently(Api api, Random random, int count) {
    List<String> customers = creditLimits.keySet().stream().sorted().toList();
    // Mostly plentiful products, so that most sagas get as far as credit; a few scarce ones run out.
    List<String> sorted = prices.keySet().stream().sorted().toList();
    List<String> skus = new ArrayList<>();
    int[] weights = {10, 5, 2, 2, 1};
    for (int i = 0; i < sorted.size(); i++) {
      skus.addAll(Collections.nCopies(weights[i], sorted.get(i)));
    }
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String customer = customers.get(random.nextInt(customers.size()));
      JsonArray lines = randomLines(random, skus);
      boolean cancel = random.nextDouble() < CANCEL_SHARE;
      work.add(CompletableFuture.runAsync(() -> placeAndMaybeCancel(api, customer, lines, cancel), clients));
    }
    work.forEach(CompletableFuture::join);
  }

  private JsonArray randomLines(Random random, List<String> skus) {
    JsonArray lines = new JsonArray();
    IntStream.range(0, 1 + random.nextInt(2)).forEach(i -> {
      boolean unknown = random.nextInt(40) == 0;
      String sku = unknown ? "NOPE-" + run : skus.get(random.nextInt(skus.size()));
      lines.add(new JsonObject().put("sku", sku).put("quantity", 1 + random.nextInt(5)));
    });
    return lines;
  }

  private void placeAndMaybeCancel(Api api, String customer, JsonArray lines, boolean cancel) {
    String token = TestWorld.token(customer);
    HttpResponse<String> response = api.placeOrder(token, new JsonObject().put("lines", lines).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String orderId = new JsonObject(response.body()).getString("orderId");
    placed.put(orderId, new Placed(orderId, customer, lines));
    if (cancel) {
      assertThat(api.post(token, "/api/v1/orders/" + orderId + "/cancel").statusCode()).isEqualTo(202);
    }
  }

  private boolean allTerminal(Api api) {
    return finalStates(api).values().stream().noneMatch(o -> "PENDING".equals(o.getString("status")));
  }

  private Map<String, JsonObject> finalStates(Api api) {
    Map<String, JsonObject> states = new HashMap<>();
    List<Placed> all;
    synchronized (placed) {
      all = List.copyOf(placed.values());
    }
    all.forEach(p -> states.put(p.orderId(), api.getJson(TestWorld.token(p.customer()), "/api/v1/orders/" + p.orderId())));
    return states;
  }

  private void assertStockMatchesConfirmedOrders(Api api, Map<String, JsonObject> finals) {
    Map<String, Integer> bought = new HashMap<>();
    confirmed(finals).forEach(p -> p.lines().stream().map(JsonObject.class::cast)
        .forEach(l -> bought.merge(l.getString("sku"), l.getInteger("quantity"), Integer::sum)));
    String token = TestWorld.token("stock-reader-" + run);
    stock.forEach((sku, initial) -> assertThat(api.getJson(token, "/api/v1/products/" + sku).getInteger("available"))
        .as("%s available = initial %d - bought", sku, initial)
        .isEqualTo(initial - bought.getOrDefault(sku, 0)));
  }

  private void assertCreditMatchesConfirmedOrders(Api api, Map<String, JsonObject> finals) {
    Map<String, BigDecimal> spent = new HashMap<>();
    finals.values().stream().filter(o -> "CONFIRMED".equals(o.getString("status")))
        .forEach(o -> spent.merge(o.getString("customerId"), new BigDecimal(o.getString("total")), BigDecimal::add));
    creditLimits.forEach((customer, limit) -> assertThat(new BigDecimal(
            api.getJson(TestWorld.token(customer), "/api/v1/users/me").getString("creditAvailable")))
        .as("%s credit = limit %s - spent", customer, limit)
        .isEqualByComparingTo(limit.subtract(spent.getOrDefault(customer, BigDecimal.ZERO))));
  }

  private List<Placed> confirmed(Map<String, JsonObject> finals) {
    return placed.values().stream().filter(p -> "CONFIRMED".equals(finals.get(p.orderId()).getString("status")))
        .toList();
  }
}
