package io.ordermesh.inventory.internal;

import io.ordermesh.events.Money;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** All SQL of the inventory service. Methods taking a {@link SqlConnection} run inside the caller's transaction. */
public final class InventoryRepository {

  /*
   * Every wanted sku or none, decided and done in one statement, so that nothing else in the consumer's
   * transaction (another lane's statements) can come between the check and the update. The products are
   * locked in sku order, so concurrent reservations never deadlock; FOR UPDATE reads their latest
   * committed stock. The reservation rows that later settle the order are written by the same statement.
   * Answers the reserved skus and their prices, or no rows when the order was cancelled or is reserved
   * already (a placement applied again), a sku is unknown or one is short.
   */
  private static final String RESERVE_ALL = """
      WITH wanted AS (
        SELECT sku, quantity FROM unnest($2::text[], $3::int[]) AS w (sku, quantity)),
      locked AS (
        SELECT sku, available FROM products WHERE sku = ANY($2::text[]) ORDER BY sku FOR UPDATE),
      decision AS (
        SELECT NOT EXISTS (SELECT 1 FROM cancelled_orders WHERE order_id = $1)
          AND NOT EXISTS (SELECT 1 FROM reservations WHERE order_id = $1)
          AND (SELECT count(*) FROM locked) = cardinality($2::text[])
          AND NOT EXISTS (SELECT 1 FROM wanted JOIN locked USING (sku) WHERE locked.available < wanted.quantity)
          AS reserve),
      moved AS (
        UPDATE products SET available = products.available - wanted.quantity,
          reserved = products.reserved + wanted.quantity
        FROM wanted, decision
        WHERE products.sku = wanted.sku AND decision.reserve
        RETURNING products.sku, products.price, wanted.quantity),
      recorded AS (
        INSERT INTO reservations (order_id, sku, quantity, unit_price, state)
        SELECT $1::uuid, sku, quantity, price, 'RESERVED' FROM moved
        ON CONFLICT (order_id, sku) DO NOTHING)
      SELECT sku, price FROM moved""";
  /*
   * The products a transaction is about to move, locked in sku order before any of its statements moves
   * one (LockAhead): the skus it places and those the orders it settles still hold (reserved or sold).
   * A union of two index lookups, not an OR, so that neither side ever becomes a scan of a table that
   * grows with every order.
   */
  private static final String LOCK_PRODUCTS = """
      SELECT sku FROM products
      WHERE sku IN (
        SELECT unnest($1::text[])
        UNION
        SELECT sku FROM reservations WHERE order_id = ANY($2::uuid[]) AND state IN ('RESERVED', 'SOLD'))
      ORDER BY sku FOR UPDATE OF products""";
  private static final String STOCK_OF = "SELECT sku, price, available FROM products WHERE sku = ANY($1)";
  /*
   * The placements of a poll in one go: each product row moves once for the whole group rather than once
   * per order, which under load kept a hot sku's chain of row versions as long as the batch. Orders that
   * no stock could serve or that were decided before (cancelled first, reserved already, an unknown sku)
   * are left out; the others are reserved only if
   * their summed quantities fit every sku's stock, for then each of them would have been reserved one by
   * one too, in any order. Otherwise nothing is reserved and no rows come back: the orders are then
   * decided one at a time, in turn ($1-$3 are the orders' lines: one per order and sku).
   */
  private static final String RESERVE_TOGETHER = """
      WITH lines AS (
        SELECT order_id, sku, quantity FROM unnest($1::uuid[], $2::text[], $3::int[]) AS l (order_id, sku, quantity)),
      locked AS (
        SELECT sku, price, available FROM products WHERE sku = ANY($2::text[]) ORDER BY sku FOR UPDATE),
      reservable AS (
        SELECT lines.order_id FROM lines LEFT JOIN locked USING (sku)
        WHERE NOT EXISTS (SELECT 1 FROM cancelled_orders c WHERE c.order_id = lines.order_id)
          AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.order_id = lines.order_id)
        GROUP BY lines.order_id
        HAVING count(locked.sku) = count(*)),
      demand AS (
        SELECT sku, sum(quantity) AS quantity FROM lines JOIN reservable USING (order_id) GROUP BY sku),
      decision AS (
        SELECT NOT EXISTS (SELECT 1 FROM demand JOIN locked USING (sku) WHERE locked.available < demand.quantity)
          AS fits),
      moved AS (
        UPDATE products SET available = products.available - demand.quantity,
          reserved = products.reserved + demand.quantity
        FROM demand, decision
        WHERE products.sku = demand.sku AND decision.fits),
      granted AS (
        SELECT lines.order_id, lines.sku, lines.quantity, locked.price
        FROM lines JOIN reservable USING (order_id) JOIN locked USING (sku), decision
        WHERE decision.fits),
      recorded AS (
        INSERT INTO reservations (order_id, sku, quantity, unit_price, state)
        SELECT order_id, sku, quantity, price, 'RESERVED' FROM granted
        ON CONFLICT (order_id, sku) DO NOTHING)
      SELECT order_id, sku, price FROM granted""";
  /*
   * Confirmations of a poll in one go: every order's reservations sold, each product row moved once, the
   * rows locked in sku order first (as reservations lock them), so that two nodes' batches cannot deadlock.
   */
  private static final String SELL_TOGETHER = """
      WITH settled AS (
        UPDATE reservations SET state = 'SOLD', updated_at = now()
        WHERE order_id = ANY($1::uuid[]) AND state = 'RESERVED' RETURNING sku, quantity),
      totals AS (
        SELECT sku, sum(quantity) AS quantity FROM settled GROUP BY sku),
      locked AS (
        SELECT sku FROM products WHERE sku IN (SELECT sku FROM totals) ORDER BY sku FOR UPDATE)
      UPDATE products SET reserved = products.reserved - totals.quantity, sold = products.sold + totals.quantity
      FROM totals JOIN locked USING (sku) WHERE products.sku = totals.sku""";

  /*
   * Each settles the order's reservation rows that are in one state and moves their quantities between
   * two buckets of their products, in one statement, and answers the rows it settled; a row already
   * settled is not moved again.
   */
  private static final String RELEASE_RESERVED = """
      WITH settled AS (
        UPDATE reservations SET state = 'RELEASED', updated_at = now()
        WHERE order_id = $1 AND state = 'RESERVED' RETURNING sku, quantity),
      moved AS (
        UPDATE products SET reserved = reserved - settled.quantity, available = available + settled.quantity
        FROM settled WHERE products.sku = settled.sku)
      SELECT sku, quantity FROM settled""";
  private static final String RETURN_SOLD = """
      WITH settled AS (
        UPDATE reservations SET state = 'RELEASED', updated_at = now()
        WHERE order_id = $1 AND state = 'SOLD' RETURNING sku, quantity),
      moved AS (
        UPDATE products SET sold = sold - settled.quantity, available = available + settled.quantity
        FROM settled WHERE products.sku = settled.sku)
      SELECT sku, quantity FROM settled""";
  private static final String MARK_CANCELLED = """
      INSERT INTO cancelled_orders (order_id) VALUES ($1) ON CONFLICT DO NOTHING""";
  private static final String IS_DECIDED = """
      SELECT EXISTS (SELECT 1 FROM cancelled_orders WHERE order_id = $1)
        OR EXISTS (SELECT 1 FROM reservations WHERE order_id = $1) AS decided""";
  private static final String STOCK_VIOLATIONS = """
      SELECT sku, initial_stock, available, reserved, sold FROM products
      WHERE initial_stock <> available + reserved + sold""";
  private static final String HOLDINGS = """
      SELECT order_id, sku, quantity, state FROM reservations
      WHERE order_id = ANY($1) AND state IN ('RESERVED', 'SOLD')""";
  private static final String LIST = "SELECT sku, name, price, available FROM products ORDER BY sku";
  private static final String GET = "SELECT sku, name, price, available FROM products WHERE sku = $1";
  private static final String SEED = """
      INSERT INTO products (sku, name, price, initial_stock, available) VALUES ($1, $2, $3, $4, $4)
      ON CONFLICT (sku) DO NOTHING""";

  /**
   * Reserves all the quantities (one per sku) or none, with the order's reservation rows; answers each
   * reserved sku's unit price, or an
   * empty map when nothing was reserved ({@link #isDecided} and {@link #stockOf} tell why).
   */
  public Future<Map<String, BigDecimal>> reserveAll(SqlConnection tx, UUID orderId, Map<String, Integer> quantities) {
    String[] skus = quantities.keySet().toArray(String[]::new);
    Integer[] counts = quantities.values().toArray(Integer[]::new);
    return tx.preparedQuery(RESERVE_ALL).execute(Tuple.of(orderId, skus, counts)).map(rows -> {
      Map<String, BigDecimal> prices = new HashMap<>();
      rows.forEach(r -> prices.put(r.getString("sku"), r.getBigDecimal("price")));
      return prices;
    });
  }

  /**
   * Reserves the orders (each: one quantity per sku) together when their summed quantities fit the stock
   * ({@link #RESERVE_TOGETHER}). Answers the unit prices of each order it reserved; orders missing from
   * the answer were not reserved, and when none is there, none was.
   */
  public Future<Map<UUID, Map<String, BigDecimal>>> reserveTogether(SqlConnection tx,
      Map<UUID, Map<String, Integer>> quantitiesByOrder) {
    int lines = quantitiesByOrder.values().stream().mapToInt(Map::size).sum();
    UUID[] orderIds = new UUID[lines];
    String[] skus = new String[lines];
    Integer[] counts = new Integer[lines];
    int i = 0;
    for (Map.Entry<UUID, Map<String, Integer>> order : quantitiesByOrder.entrySet()) {
      for (Map.Entry<String, Integer> line : order.getValue().entrySet()) {
        orderIds[i] = order.getKey();
        skus[i] = line.getKey();
        counts[i++] = line.getValue();
      }
    }
    return tx.preparedQuery(RESERVE_TOGETHER).execute(Tuple.of(orderIds, skus, counts)).map(rows -> {
      Map<UUID, Map<String, BigDecimal>> prices = new HashMap<>();
      rows.forEach(r -> prices.computeIfAbsent(r.getUUID("order_id"), id -> new HashMap<>())
          .put(r.getString("sku"), r.getBigDecimal("price")));
      return prices;
    });
  }

  /**
   * Moves the RESERVED stock of the orders (one or several) to sold, each product row once and in sku
   * order; a reservation already settled is not moved again.
   */
  public Future<Void> commitToSoldTogether(SqlConnection tx, List<UUID> orderIds) {
    return tx.preparedQuery(SELL_TOGETHER).execute(Tuple.of(orderIds.toArray(UUID[]::new))).mapEmpty();
  }

  /** Locks, in sku order, the given skus' products and those the given orders hold (reserved or sold). */
  public Future<Void> lockProducts(SqlConnection tx, Collection<String> skus, Collection<UUID> orderIds) {
    return tx.preparedQuery(LOCK_PRODUCTS)
        .execute(Tuple.tuple().addArrayOfString(skus.toArray(String[]::new)).addArrayOfUUID(orderIds.toArray(UUID[]::new)))
        .mapEmpty();
  }

  /** The stock of the given skus as it is now (unknown skus are missing), without locking. */
  public Future<Map<String, StockRow>> stockOf(SqlConnection tx, List<String> skus) {
    return tx.preparedQuery(STOCK_OF).execute(Tuple.of(skus.toArray(String[]::new))).map(rows -> {
      Map<String, StockRow> stock = new HashMap<>();
      rows.forEach(r -> stock.put(r.getString("sku"),
          new StockRow(r.getString("sku"), r.getBigDecimal("price"), r.getInteger("available"))));
      return stock;
    });
  }

  /** Makes the order's RESERVED stock available again. Answers what moved. */
  public Future<Map<String, Integer>> release(SqlConnection tx, UUID orderId) {
    return settle(tx, orderId, RELEASE_RESERVED);
  }

  /** Compensation for a confirmed order that is cancelled: its sold stock goes back on the shelf. */
  public Future<Map<String, Integer>> returnSold(SqlConnection tx, UUID orderId) {
    return settle(tx, orderId, RETURN_SOLD);
  }

  public Future<Void> markCancelled(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(MARK_CANCELLED).execute(Tuple.of(orderId)).mapEmpty();
  }

  public Future<Boolean> isDecided(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(IS_DECIDED).execute(Tuple.of(orderId)).map(rows -> rows.iterator().next().getBoolean("decided"));
  }

  /** Skus whose buckets do not add up to their initial stock. */
  public Future<JsonArray> stockViolations(SqlClient client) {
    return client.query(STOCK_VIOLATIONS).execute().map(rows -> {
      JsonArray violations = new JsonArray();
      rows.forEach(r -> violations.add(new JsonObject()
          .put("invariant", "stock-conserved")
          .put("subject", r.getString("sku"))
          .put("detail", "initial " + r.getInteger("initial_stock") + " != available " + r.getInteger("available")
              + " + reserved " + r.getInteger("reserved") + " + sold " + r.getInteger("sold"))));
      return violations;
    });
  }

  /** What stock each of the given orders holds: {@code {orderId:{"reserved":{sku:n},"sold":{sku:n}}}}. */
  public Future<JsonObject> holdings(SqlClient client, List<UUID> orderIds) {
    return client.preparedQuery(HOLDINGS).execute(Tuple.of(orderIds.toArray(UUID[]::new))).map(rows -> {
      JsonObject holdings = new JsonObject();
      rows.forEach(r -> {
        String orderId = r.getUUID("order_id").toString();
        JsonObject order = holdings.getJsonObject(orderId);
        if (order == null) {
          order = new JsonObject().put("reserved", new JsonObject()).put("sold", new JsonObject());
          holdings.put(orderId, order);
        }
        String bucket = "RESERVED".equals(r.getString("state")) ? "reserved" : "sold";
        order.getJsonObject(bucket).put(r.getString("sku"), r.getInteger("quantity"));
      });
      return holdings;
    });
  }

  /** Runs one of the settling statements for the order; answers what moved, per sku. */
  private Future<Map<String, Integer>> settle(SqlConnection tx, UUID orderId, String settling) {
    return tx.preparedQuery(settling).execute(Tuple.of(orderId)).map(rows -> {
      Map<String, Integer> moved = new HashMap<>();
      rows.forEach(r -> moved.put(r.getString("sku"), r.getInteger("quantity")));
      return moved;
    });
  }

  public Future<JsonArray> list(SqlClient client) {
    return client.query(LIST).execute().map(rows -> {
      JsonArray products = new JsonArray();
      rows.forEach(r -> products.add(view(r)));
      return products;
    });
  }

  public Future<Optional<JsonObject>> get(SqlClient client, String sku) {
    return client.preparedQuery(GET).execute(Tuple.of(sku)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(view(it.next())) : Optional.empty();
    });
  }

  /**
   * Inserts the configured seed products that do not exist yet, so a restart never resets stock.
   * Seed JSON: {@code {"products":[{"sku","name","price","stock"}]}}.
   */
  public Future<Void> seed(SqlClient client, JsonObject seed) {
    JsonArray products = seed.getJsonArray("products", new JsonArray());
    if (products.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = products.stream().map(JsonObject.class::cast)
        .map(p -> Tuple.of(p.getString("sku"), p.getString("name"), Money.parse(p.getString("price")),
            p.getInteger("stock")))
        .toList();
    return client.preparedQuery(SEED).executeBatch(rows).mapEmpty();
  }

  private static JsonObject view(Row row) {
    return new JsonObject()
        .put("sku", row.getString("sku"))
        .put("name", row.getString("name"))
        .put("price", Money.format(row.getBigDecimal("price")))
        .put("available", row.getInteger("available"));
  }

  /** A product's stock: what one unit costs and how many are available. */
  public record StockRow(String sku, BigDecimal price, int available) {
  }
}
