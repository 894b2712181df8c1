package io.ordermesh.gateway;

import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.contracts.NotificationAddresses;
import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.events.Money;
import io.ordermesh.platform.bus.Caller;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Evaluates the saga's invariants across services (ARCHITECTURE section 5). Each service answers
 * for its own data over the event bus; this class only compares:
 * <ul>
 *   <li>per sku and per customer, the buckets add up (each service checks its own);
 *   <li>every order is terminal by its deadline plus slack (the order service checks);
 *   <li>a CANCELLED order holds no stock and no credit;
 *   <li>a CONFIRMED order holds exactly its lines as sold stock and its total as captured credit;
 *   <li>every terminal order has the notification of its outcome.
 * </ul>
 */
public final class ConsistencyCheck {

  private final EventBus bus;
  private final long timeoutMs;

  public ConsistencyCheck(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.timeoutMs = timeout.toMillis();
  }

  /**
   * Checks the orders of the query's window page by page (the order service answers at most a page per
   * request), so no service builds or copies the whole window at once on its event loop. A check of a
   * large window takes a while; once {@code abandoned} says nobody waits for the answer any more (the
   * client left), no further page is asked for and the check fails with {@link Abandoned}. Every
   * request carries the caller (an admin: the services answer nobody else) and its correlation id.
   */
  public Future<JsonObject> run(JsonObject query, Caller caller, BooleanSupplier abandoned) {
    JsonArray violations = new JsonArray();
    return checkFrom(query, null, violations, abandoned, caller).map(checked -> new JsonObject()
        .put("ok", violations.isEmpty())
        .put("checkedOrders", checked)
        .put("violations", violations));
  }

  /** Checks the page after {@code after} and the ones following it; answers how many orders they held. */
  private Future<Integer> checkFrom(JsonObject query, String after, JsonArray violations, BooleanSupplier abandoned,
      Caller caller) {
    if (abandoned.getAsBoolean()) {
      return Future.failedFuture(new Abandoned(after));
    }
    JsonObject page = query.copy();
    if (after != null) {
      page.put("afterOrderId", after);
    }
    return request(OrderAddresses.CONSISTENCY, page, caller).compose(orders -> {
      JsonArray all = orders.getJsonArray("orders");
      JsonObject ids = new JsonObject().put("orderIds",
          new JsonArray(all.stream().map(o -> ((JsonObject) o).getString("orderId")).toList()));
      Future<JsonObject> stock = request(InventoryAddresses.CONSISTENCY, ids, caller);
      Future<JsonObject> credit = request(UserAddresses.CONSISTENCY, ids, caller);
      Future<JsonObject> notices = request(NotificationAddresses.CONSISTENCY, ids, caller);
      return Future.all(stock, credit, notices).compose(v -> {
        // The bucket checks (per sku, per customer) are whole-table answers: the same on every page.
        boolean firstPage = after == null;
        evaluate(orders, stock.result(), credit.result(), notices.result(), firstPage, violations);
        String next = orders.getString("next");
        return next == null
            ? Future.succeededFuture(all.size())
            : checkFrom(query, next, violations, abandoned, caller).map(rest -> all.size() + rest);
      });
    });
  }

  /** Options made for each request: its deadline is its own, not the check's start plus one timeout. */
  private Future<JsonObject> request(String address, JsonObject body, Caller caller) {
    return bus.<JsonObject>request(address, body, caller.deliveryOptions(timeoutMs)).map(reply -> reply.body());
  }

  private static void evaluate(JsonObject orders, JsonObject stock, JsonObject credit, JsonObject notices,
      boolean withBuckets, JsonArray violations) {
    violations.addAll(orders.getJsonArray("violations"));
    if (withBuckets) {
      violations.addAll(stock.getJsonArray("violations"));
      violations.addAll(credit.getJsonArray("violations"));
    }
    JsonObject stockHeld = stock.getJsonObject("holdings");
    JsonObject creditHeld = credit.getJsonObject("holdings");
    JsonObject notified = notices.getJsonObject("notifications");
    JsonArray all = orders.getJsonArray("orders");
    for (Object o : all) {
      JsonObject order = (JsonObject) o;
      String id = order.getString("orderId");
      JsonObject heldStock = stockHeld.getJsonObject(id, new JsonObject());
      JsonObject heldCredit = creditHeld.getJsonObject(id, new JsonObject());
      switch (order.getString("status")) {
        case "CANCELLED" -> checkCancelled(id, heldStock, heldCredit, violations);
        case "CONFIRMED" -> checkConfirmed(order, heldStock, heldCredit, violations);
        default -> {
          continue;
        }
      }
      JsonArray outcomes = notified.getJsonArray(id, new JsonArray());
      if (!outcomes.contains(order.getString("status"))) {
        violations.add(violation("one-notification-per-outcome", id,
            "no notification for outcome " + order.getString("status")));
      }
    }
  }

  private static void checkCancelled(String id, JsonObject stock, JsonObject credit, JsonArray violations) {
    if (!stock.getJsonObject("reserved", new JsonObject()).isEmpty()
        || !stock.getJsonObject("sold", new JsonObject()).isEmpty()) {
      violations.add(violation("cancelled-holds-nothing", id, "still holds stock " + stock.encode()));
    }
    if (!credit.isEmpty()) {
      violations.add(violation("cancelled-holds-nothing", id, "still holds credit " + credit.encode()));
    }
  }

  private static void checkConfirmed(JsonObject order, JsonObject stock, JsonObject credit, JsonArray violations) {
    String id = order.getString("orderId");
    Map<String, Integer> wanted = new TreeMap<>();
    order.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .forEach(l -> wanted.merge(l.getString("sku"), l.getInteger("quantity"), Integer::sum));
    Map<String, Integer> sold = new TreeMap<>();
    stock.getJsonObject("sold", new JsonObject()).forEach(e -> sold.put(e.getKey(), (Integer) e.getValue()));
    if (!sold.equals(wanted) || !stock.getJsonObject("reserved", new JsonObject()).isEmpty()) {
      violations.add(violation("confirmed-holds-its-lines", id, "lines " + wanted + " but stock " + stock.encode()));
    }
    String captured = credit.getString("captured");
    BigDecimal total = order.getString("total") == null ? null : Money.parse(order.getString("total"));
    if (captured == null || total == null || Money.parse(captured).compareTo(total) != 0 || credit.size() != 1) {
      violations.add(violation("confirmed-holds-its-total", id, "total " + total + " but credit " + credit.encode()));
    }
  }

  /** The check stopped because nobody waits for its answer any more. */
  public static final class Abandoned extends RuntimeException {
    Abandoned(String after) {
      super("consistency check abandoned by its client" + (after == null ? "" : " after order " + after), null,
          false, false);
    }
  }

  private static JsonObject violation(String invariant, String subject, String detail) {
    return new JsonObject().put("invariant", invariant).put("subject", subject).put("detail", detail);
  }
}
