package io.ordermesh.contracts;

/** The inventory service's event-bus contract. */
public final class InventoryAddresses {

  /** {@code {}} -> {@code {"products":[{"sku","name","price","available"}]}}. */
  public static final String PRODUCTS_LIST = "inventory.products.list";
  /** {@code {"sku"}} -> {@code {"sku","name","price","available"}}, or NOT_FOUND. */
  public static final String PRODUCTS_GET = "inventory.products.get";

  /**
   * Admin: {@code {"orderIds":[…]}} -> {@code {"violations":[…], "holdings":{orderId:{"reserved":{sku:n},"sold":{sku:n}}}}};
   * violations break {@code initial = available + reserved + sold} for a sku.
   */
  public static final String CONSISTENCY = "inventory.consistency";

  public static final String SERVICE = "inventory";
  public static final String SCHEMA = "inventory";

  private InventoryAddresses() {
  }
}
