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
   * Admin: {@code {"sinceMs"?, "slackMs"?, "customerIds"?, "afterOrderId"?, "limit"?}} -> {@code {"orders":[{"orderId",
   * "customerId","status","total","lines"}], "violations":[…], "next"?}}: one page of at most {@code limit} (at most
   * {@link #CONSISTENCY_MAX_PAGE}) orders in order id order after {@code afterOrderId}; {@code next} is the id to ask
   * after for the next page, absent on the last. Every order is looked at unless {@code sinceMs} narrows it to those
   * created within that many milliseconds. Violations are orders still PENDING past their deadline plus the slack.
   */
  public static final String CONSISTENCY = "orders.consistency";
  /** The most orders one {@link #CONSISTENCY} answer holds: the whole window at once blocked an event loop. */
  public static final int CONSISTENCY_MAX_PAGE = 1_000;

  /**
   * Admin: {@code {"stuck"?: bool, "limit"?}} -> {@code {"sagas":[{"orderId","customerId","status","ageMs",
   * "overdueMs"}],"total"}}: the oldest {@code limit} PENDING orders of all customers, oldest first, and how many
   * there are in all; {@code stuck} keeps those past their deadline.
   */
  public static final String SAGAS = "orders.sagas";

  /**
   * Published, not requested, once an order's move to CONFIRMED or CANCELLED has committed, while some
   * gateway follows orders ({@link #STREAMS_MAP}): {@code {"orderId","status","reason"?}} to every node
   * listening (the gateways' order event streams).
   * A hint, delivered at most once (a node that dies between the commit and the publish sends none): a
   * reader that must not miss a change also reads the order now and then.
   */
  public static final String STATUS_CHANGED = "orders.status-changed";
  /**
   * The gateways that have order event streams open, cluster-wide: an async map of gateway instance to
   * the time it last said so, each entry kept {@link #STREAMS_TTL_MS}. The order service publishes
   * {@link #STATUS_CHANGED} only while the map is not empty: with no stream open, no gateway pays for
   * every outcome of every saga.
   */
  public static final String STREAMS_MAP = "ordermesh.order-streams";
  public static final long STREAMS_TTL_MS = 15_000;
  /** Published (no body) when a gateway starts or stops following orders: order services look again. */
  public static final String STREAMS_CHANGED = "orders.streams-changed";

  public static final String SERVICE = "order";
  public static final String SCHEMA = "orders";

  private OrderAddresses() {
  }
}
