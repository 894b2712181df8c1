package io.ordermesh.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The customers, products and order plans of one randomized run, all drawn from one seed so that a
 * failing run can be replayed (only the names differ, so runs never share stock or credit).
 */
record RandomSagaWorld(List<Customer> customers, List<String> ghosts, List<Product> products, String unknownSku,
    List<Plan> plans) {

  private static final int BIG_CUSTOMERS = 3;
  private static final int SMALL_CUSTOMERS = 2;
  private static final int GHOSTS = 2;
  private static final int PLENTIFUL_PRODUCTS = 2;
  private static final int SCARCE_PRODUCTS = 2;
  private static final double GHOST_ORDER_SHARE = 0.05;
  private static final double UNKNOWN_SKU_LINE_SHARE = 0.03;
  /** Per line: the sold-out product, then the scarce ones; the rest is plentiful. */
  private static final double SOLD_OUT_LINE_SHARE = 0.04;
  private static final double SCARCE_LINE_SHARE = 0.10;
  private static final double CANCEL_SHARE = 0.15;
  /** Half the cancellations follow the placement at once, the others after a think time, often past CONFIRMED. */
  private static final int MAX_CANCEL_DELAY_MS = 2_500;
  private static final int MAX_LINES = 3;
  private static final int MAX_QUANTITY = 5;
  /** Listing a customer's orders shows at most 100; staying below keeps every order visible. */
  private static final int MAX_ORDERS_PER_CUSTOMER = 90;

  record Customer(String id, BigDecimal creditLimit) {
  }

  record Product(String sku, BigDecimal price, int stock) {
  }

  record Line(String sku, int quantity) {
  }

  /** One order to place: who, what, and whether (and how soon after placing it) the customer cancels it. */
  record Plan(int index, String customer, List<Line> lines, boolean cancel, int cancelDelayMs) {

    String idempotencyKey() {
      return "random-" + index;
    }

    String body() {
      JsonArray json = new JsonArray();
      lines.forEach(l -> json.add(new JsonObject().put("sku", l.sku()).put("quantity", l.quantity())));
      return new JsonObject().put("lines", json).encode();
    }
  }

  static RandomSagaWorld generate(long seed, int orders) {
    Random random = new Random(seed);
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Customer> customers = customers(random, run);
    List<String> ghosts = Stream.iterate(1, i -> i + 1).limit(GHOSTS).map(i -> "ghost" + i + "-" + run).toList();
    List<Product> products = products(random, run);
    String unknownSku = "NOPE-" + run;
    List<Plan> plans = plans(random, orders, customers, ghosts, products, unknownSku);
    return new RandomSagaWorld(customers, ghosts, products, unknownSku, plans);
  }

  /** Three with plenty of credit, two that run out, one with none. */
  private static List<Customer> customers(Random random, String run) {
    List<Customer> customers = new ArrayList<>();
    for (int i = 0; i < BIG_CUSTOMERS; i++) {
      customers.add(new Customer("big" + i + "-" + run, cents(random, 1_000_000, 3_000_000)));
    }
    for (int i = 0; i < SMALL_CUSTOMERS; i++) {
      customers.add(new Customer("small" + i + "-" + run, cents(random, 2_000, 50_000)));
    }
    customers.add(new Customer("broke-" + run, new BigDecimal("0.00")));
    return customers;
  }

  /** Two plentiful, two scarce, one sold out. */
  private static List<Product> products(Random random, String run) {
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < PLENTIFUL_PRODUCTS; i++) {
      products.add(new Product("MANY" + i + "-" + run, cents(random, 100, 10_000), 1_000 + random.nextInt(2_001)));
    }
    for (int i = 0; i < SCARCE_PRODUCTS; i++) {
      products.add(new Product("FEW" + i + "-" + run, cents(random, 100, 10_000), 3 + random.nextInt(8)));
    }
    products.add(new Product("NONE-" + run, cents(random, 100, 10_000), 0));
    return products;
  }

  private static List<Plan> plans(Random random, int orders, List<Customer> customers, List<String> ghosts,
      List<Product> products, String unknownSku) {
    Map<String, Integer> perCustomer = new HashMap<>();
    List<Plan> plans = new ArrayList<>(orders);
    for (int i = 0; i < orders; i++) {
      String customer = random.nextDouble() < GHOST_ORDER_SHARE
          ? ghosts.get(random.nextInt(ghosts.size()))
          : customerWithRoom(random, customers, perCustomer);
      perCustomer.merge(customer, 1, Integer::sum);
      List<Line> lines = new ArrayList<>();
      int count = 1 + random.nextInt(MAX_LINES);
      for (int l = 0; l < count; l++) {
        lines.add(new Line(sku(random, products, unknownSku), 1 + random.nextInt(MAX_QUANTITY)));
      }
      boolean cancel = random.nextDouble() < CANCEL_SHARE;
      int cancelDelayMs = random.nextBoolean() ? 0 : random.nextInt(MAX_CANCEL_DELAY_MS);
      plans.add(new Plan(i, customer, List.copyOf(lines), cancel, cancelDelayMs));
    }
    return List.copyOf(plans);
  }

  /** Products are listed plentiful, scarce, sold out. */
  private static String sku(Random random, List<Product> products, String unknownSku) {
    double draw = random.nextDouble();
    if (draw < UNKNOWN_SKU_LINE_SHARE) {
      return unknownSku;
    }
    if (draw < UNKNOWN_SKU_LINE_SHARE + SOLD_OUT_LINE_SHARE) {
      return products.get(products.size() - 1).sku();
    }
    if (draw < UNKNOWN_SKU_LINE_SHARE + SOLD_OUT_LINE_SHARE + SCARCE_LINE_SHARE) {
      return products.get(PLENTIFUL_PRODUCTS + random.nextInt(SCARCE_PRODUCTS)).sku();
    }
    return products.get(random.nextInt(PLENTIFUL_PRODUCTS)).sku();
  }

  private static String customerWithRoom(Random random, List<Customer> customers, Map<String, Integer> perCustomer) {
    while (true) {
      String id = customers.get(random.nextInt(customers.size())).id();
      if (perCustomer.getOrDefault(id, 0) < MAX_ORDERS_PER_CUSTOMER) {
        return id;
      }
    }
  }

  private static BigDecimal cents(Random random, int minCents, int maxCents) {
    return BigDecimal.valueOf(minCents + random.nextInt(maxCents - minCents + 1), 2);
  }

  boolean isGhost(String customer) {
    return ghosts.contains(customer);
  }

  Customer customer(String id) {
    return customers.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  Product product(String sku) {
    return products.stream().filter(p -> p.sku().equals(sku)).findFirst().orElseThrow();
  }

  List<String> customerIds() {
    return customers.stream().map(Customer::id).toList();
  }

  /** Every subject that places orders, ghosts included. */
  List<String> subjects() {
    return Stream.concat(customerIds().stream(), ghosts.stream()).toList();
  }

  JsonObject seed() {
    JsonArray customerJson = new JsonArray();
    customers.forEach(c -> customerJson.add(new JsonObject().put("id", c.id()).put("name", c.id())
        .put("email", c.id() + "@test.invalid").put("creditLimit", c.creditLimit().toPlainString())));
    JsonArray productJson = new JsonArray();
    products.forEach(p -> productJson.add(new JsonObject().put("sku", p.sku()).put("name", p.sku())
        .put("price", p.price().toPlainString()).put("stock", p.stock())));
    return new JsonObject().put("customers", customerJson).put("products", productJson);
  }
}
