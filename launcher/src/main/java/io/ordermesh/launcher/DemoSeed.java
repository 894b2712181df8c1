package io.ordermesh.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The demo world of ARCHITECTURE section 2, shared by the README, the tests and the load scripts.
 * Services insert what does not exist yet, so a restart never resets stock or credit.
 */
public final class DemoSeed {

  public static final String RICH_CUSTOMER = "alice";
  public static final String POOR_CUSTOMER = "bob";
  public static final String BROKE_CUSTOMER = "carol";

  private DemoSeed() {
  }

  /** Credit of each load customer: enough that a long run never runs out. */
  public static final String LOAD_CREDIT = "1000000.00";
  private static final int DEFAULT_STOCK = 1000;

  public static JsonObject json() {
    return json(0, DEFAULT_STOCK);
  }

  /**
   * The demo world plus {@code loadCustomers} customers {@code load-1 .. load-N} with
   * {@value #LOAD_CREDIT} credit each, and {@code stock} units of SKU-1, SKU-2 and SKU-3, so that load
   * scripts exercise the full confirm path. Seeding only inserts what is missing: on an existing home
   * neither stock nor credit is reset.
   */
  public static JsonObject json(int loadCustomers, int stock) {
    JsonArray customers = customers();
    for (int i = 1; i <= loadCustomers; i++) {
      customers.add(customer("load-" + i, "Load " + i, LOAD_CREDIT));
    }
    return new JsonObject().put("customers", customers).put("products", products(stock));
  }

  private static JsonArray customers() {
    return new JsonArray()
        .add(customer(RICH_CUSTOMER, "Alice Martin", "10000.00"))
        .add(customer(POOR_CUSTOMER, "Bob Keller", "50.00"))
        .add(customer(BROKE_CUSTOMER, "Carol Duval", "0.00"));
  }

  private static JsonArray products(int stock) {
    return new JsonArray()
        .add(product("SKU-1", "Espresso cup", "9.99", stock))
        .add(product("SKU-2", "Milk jug", "24.50", stock))
        .add(product("SKU-3", "Grinder", "120.00", stock))
        .add(product("SKU-RARE", "Signed tamper", "15.00", 1))
        .add(product("SKU-NONE", "Discontinued filter", "5.00", 0));
  }

  private static JsonObject customer(String id, String name, String creditLimit) {
    return new JsonObject().put("id", id).put("name", name).put("email", id + "@example.com")
        .put("creditLimit", creditLimit);
  }

  private static JsonObject product(String sku, String name, String price, int stock) {
    return new JsonObject().put("sku", sku).put("name", name).put("price", price).put("stock", stock);
  }
}
