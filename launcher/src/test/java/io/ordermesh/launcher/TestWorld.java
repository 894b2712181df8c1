package io.ordermesh.launcher;

import io.ordermesh.gateway.JwtTokens;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * Customers and products of one test class, with names no other test uses, so tests that share the
 * embedded PostgreSQL and Kafka never see each other's stock or credit.
 */
public final class TestWorld {

  public final String rich;
  /** Like rich, but reserved for tests that check exact credit amounts. */
  public final String careful;
  /** Like careful, for a test that follows the user service's view of a customer through an order. */
  public final String watched;
  public final String poor;
  public final String cheapSku;
  public final String priceySku;
  public final String soldOutSku;

  public TestWorld() {
    String id = UUID.randomUUID().toString().substring(0, 8);
    rich = "rich-" + id;
    careful = "careful-" + id;
    watched = "watched-" + id;
    poor = "poor-" + id;
    cheapSku = "CHEAP-" + id;
    priceySku = "PRICEY-" + id;
    soldOutSku = "GONE-" + id;
  }

  /** rich, careful and watched: 10000.00 credit, poor: 50.00; cheap 9.99 (1000), pricey 120.00 (1000), sold out 5.00 (0). */
  public JsonObject seed() {
    return new JsonObject()
        .put("customers", new JsonArray()
            .add(customer(rich, "10000.00"))
            .add(customer(careful, "10000.00"))
            .add(customer(watched, "10000.00"))
            .add(customer(poor, "50.00")))
        .put("products", new JsonArray()
            .add(product(cheapSku, "9.99", 1000))
            .add(product(priceySku, "120.00", 1000))
            .add(product(soldOutSku, "5.00", 0)));
  }

  /**
   * The seed with {@code customers} besides the world's, each with {@code creditLimit}: ids fixed outside
   * the tests (the k6 scripts name theirs), so only one test class of a JVM may use each.
   */
  public JsonObject seedWith(List<String> customers, String creditLimit) {
    JsonObject seed = seed();
    customers.forEach(id -> seed.getJsonArray("customers").add(customer(id, creditLimit)));
    return seed;
  }

  public static String token(String subject, String... roles) {
    return JwtTokens.issueOffline(new AuthConfig(TestNodes.TEST_SECRET, Defaults.TOKEN_TTL), subject, List.of(roles));
  }

  public static String order(String sku, int quantity) {
    return new JsonObject().put("lines", new JsonArray().add(new JsonObject().put("sku", sku).put("quantity", quantity)))
        .encode();
  }

  private static JsonObject customer(String id, String creditLimit) {
    return new JsonObject().put("id", id).put("name", id).put("email", id + "@test.invalid").put("creditLimit", creditLimit);
  }

  private static JsonObject product(String sku, String price, int stock) {
    return new JsonObject().put("sku", sku).put("name", sku).put("price", price).put("stock", stock);
  }
}
