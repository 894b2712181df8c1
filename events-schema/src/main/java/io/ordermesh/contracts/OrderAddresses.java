package io.ordermesh.contracts;

/**
 * The order service's event-bus contract. Requests carry the caller in the {@code principal} header
 * and the correlation id in {@code correlationId} (see {@code BusHeaders}).
 */
public final class OrderAddresses {

  /** {@code {"idempotencyKey","lines":[{"sku","quantity"}]}} -> {@code {"orderId","status","replayed"}}. */
  public static final String PLACE = "orders.place";
  /** {@code {"orderId"}} -> the order view, or NOT_FOUND when it does not exist or is not the caller's. */
  public static final String GET = "orders.get";
  /** {@code {"status"?, "limit"?}} -> {@code {"orders":[…]}}, the caller's orders, newest first. */
  public static final String LIST = "orders.list";

  /** {@code {"orderId"}} -> {@code {"orderId","status"}}; cancels a PENDING or CONFIRMED order (idempotent). */
  public static final String CANCEL = "orders.cancel";
  /**
   * Admin: {@code {"sinceMs"?, "slackMs"?, "customerIds"?}} -> {@code {"orders":[{"orderId","customerId","status","total","lines"}],
   * "violations":[…]}}; violations are orders still PENDING past their deadline plus the slack.
   */
  public static final String CONSISTENCY = "orders.consistency";

  /**
   * Admin: {@code {"stuck"?: bool, "limit"?}} -> {@code {"sagas":[{"orderId","customerId","status","ageMs",
   * "overdueMs"}]}}: PENDING orders of all customers, oldest first; {@code stuck} keeps those past their deadline.
   */
  public static final String SAGAS = "orders.sagas";

  public static final String SERVICE = "order";
  public static final String SCHEMA = "orders";

  private OrderAddresses() {
  }
}
