package io.ordermesh.order.internal;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.Money;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.PricedLine;
import io.ordermesh.platform.config.OrdermeshConfig.SagaConfig;
import io.ordermesh.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** All SQL of the order service. Methods taking a {@link SqlConnection} run inside the caller's transaction. */
public final class OrderRepository {

  /**
   * A new order PENDING with its lines and its history, unless the customer already used the
   * idempotency key; {@link #PLACE} adds its {@code OrderPlaced} event to the same statement.
   */
  private static final String PLACE_STEPS = """
      WITH placed AS (
        INSERT INTO orders (id, customer_id, status, idempotency_key, request_hash, correlation_id, deadline_at)
        VALUES ($1, $2, 'PENDING', $3, $4, $5, now() + make_interval(secs => $6))
        ON CONFLICT (customer_id, idempotency_key) DO NOTHING
        RETURNING id),
      placed_lines AS (
        INSERT INTO order_lines (order_id, line_no, sku, quantity)
        SELECT placed.id, line.no, line.sku, line.quantity
        FROM placed, unnest($7::text[], $8::int[]) WITH ORDINALITY AS line (sku, quantity, no)),
      placed_history AS (
        INSERT INTO order_history (order_id, status, reason) SELECT id, 'PENDING', NULL FROM placed)""";
  private static final int PLACE_PARAMETERS = 8;
  private static final String PLACE = Outbox.withAppend(PLACE_STEPS, "placed", PLACE_PARAMETERS);
  private static final String FIND_BY_KEY = """
      SELECT id, request_hash FROM orders WHERE customer_id = $1 AND idempotency_key = $2""";
  private static final String LOCK = """
      SELECT id, customer_id, status, stock_reserved, credit_reserved, total, created_at
      FROM orders WHERE id = $1 FOR UPDATE""";
  /**
   * Locks the orders in id order, and records a stock reservation (the total and each line's unit
   * price) on each one that is PENDING without one. Answers every order found, as it was locked,
   * before the change.
   */
  private static final String MARK_STOCK_RESERVED = """
      WITH reserved AS (
        SELECT id, total::numeric AS total FROM unnest($1::uuid[], $2::text[]) AS r (id, total)),
      locked AS (
        SELECT id, customer_id, status, stock_reserved, credit_reserved, total, created_at
        FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE),
      marked AS (
        UPDATE orders SET stock_reserved = true, total = reserved.total, updated_at = now()
        FROM locked JOIN reserved USING (id)
        WHERE orders.id = locked.id AND locked.status = 'PENDING' AND NOT locked.stock_reserved
        RETURNING orders.id),
      priced AS (
        UPDATE order_lines SET unit_price = price.unit_price::numeric
        FROM marked JOIN unnest($3::uuid[], $4::text[], $5::text[]) AS price (order_id, sku, unit_price)
          ON price.order_id = marked.id
        WHERE order_lines.order_id = marked.id AND order_lines.sku = price.sku)
      SELECT * FROM locked""";
  /**
   * Locks the orders in id order, and records a credit reservation on each one that is PENDING without
   * one. Answers every order found as it was locked and, when its stock was reserved before, its
   * priced lines (the confirmation needs them): one round trip for what a lock, an update and a read did.
   */
  private static final String MARK_CREDIT_RESERVED = """
      WITH locked AS (
        SELECT id, customer_id, status, stock_reserved, credit_reserved, total, created_at
        FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE),
      marked AS (
        UPDATE orders SET credit_reserved = true, updated_at = now()
        FROM locked WHERE orders.id = locked.id AND locked.status = 'PENDING' AND NOT locked.credit_reserved)
      SELECT locked.*, lines.skus, lines.quantities, lines.unit_prices
      FROM locked LEFT JOIN LATERAL (
        SELECT array_agg(sku ORDER BY line_no) AS skus, array_agg(quantity ORDER BY line_no) AS quantities,
               array_agg(unit_price::text ORDER BY line_no) AS unit_prices
        FROM order_lines WHERE order_id = locked.id AND locked.stock_reserved) AS lines ON true""";
  /** The order CONFIRMED with its history row; {@link #CONFIRM} adds the event to the same statement. */
  private static final String CONFIRM_STEPS = """
      WITH confirmed AS (
        UPDATE orders SET status = 'CONFIRMED', reason = NULL, updated_at = now()
        WHERE id = $1 AND status = 'PENDING' RETURNING id),
      confirmed_history AS (
        INSERT INTO order_history (order_id, status, reason) SELECT id, 'CONFIRMED', NULL FROM confirmed)""";
  private static final String CONFIRM = Outbox.withAppend(CONFIRM_STEPS, "confirmed", 1);
  /**
   * The order CANCELLED, from PENDING or (by its customer) from CONFIRMED, with its history row;
   * {@link #CANCEL} adds the event to the same statement. The state is in the statement, as for
   * {@link #CONFIRM}: a second decision to cancel, however it came about, changes nothing and says nothing.
   */
  private static final String CANCEL_STEPS = """
      WITH cancelled AS (
        UPDATE orders SET status = 'CANCELLED', reason = $2, updated_at = now()
        WHERE id = $1 AND status IN ('PENDING', 'CONFIRMED') RETURNING id),
      cancelled_history AS (
        INSERT INTO order_history (order_id, status, reason) SELECT id, 'CANCELLED', $2 FROM cancelled)""";
  private static final String CANCEL = Outbox.withAppend(CANCEL_STEPS, "cancelled", 2);
  private static final String SELECT_ORDER = """
      SELECT id, customer_id, status, reason, total, created_at FROM orders WHERE id = $1""";
  private static final String SELECT_LINES = """
      SELECT sku, quantity, unit_price FROM order_lines WHERE order_id = $1 ORDER BY line_no""";
  private static final String SELECT_HISTORY = """
      SELECT status, reason, at FROM order_history WHERE order_id = $1 ORDER BY at, status""";
  private static final String LIST_BY_CUSTOMER = """
      SELECT id, customer_id, status, reason, total, created_at FROM orders
      WHERE customer_id = $1 AND ($2::text IS NULL OR status = $2)
      ORDER BY created_at DESC, id LIMIT $3""";

  private static final String LOCK_OVERDUE = """
      SELECT id, customer_id, status, stock_reserved, credit_reserved, total, created_at, correlation_id FROM orders
      WHERE status = 'PENDING' AND deadline_at < now() AND id <> ALL($2)
      ORDER BY deadline_at LIMIT $1 FOR UPDATE SKIP LOCKED""";
  private static final String LOCK_OVERDUE_ORDER = """
      SELECT id, customer_id, status, stock_reserved, credit_reserved, total, created_at, correlation_id FROM orders
      WHERE id = $1 AND status = 'PENDING' AND deadline_at < now()
      FOR UPDATE SKIP LOCKED""";
  /**
   * Keyset pages in id order. The optional window and cursor are coalesced rather than OR-ed with IS NULL:
   * a cached statement's generic plan can then still start the index scan at the cursor, and a check of
   * every order does not re-read the pages before each one.
   */
  private static final String ORDERS_TO_CHECK = """
      SELECT o.id, o.customer_id, o.status, o.total, o.deadline_at < now() - make_interval(secs => $2) AS overdue,
             coalesce(json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity) ORDER BY l.line_no)
                      FILTER (WHERE l.sku IS NOT NULL), '[]') AS lines
      FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
      WHERE o.created_at > coalesce(now() - make_interval(secs => $1::float8), '-infinity'::timestamptz)
        AND ($3::text[] IS NULL OR o.customer_id = ANY($3))
        AND o.id > coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
      GROUP BY o.id
      ORDER BY o.id
      LIMIT $5""";

  private static final String FORGET_KEYS = """
      UPDATE orders SET idempotency_key = NULL
      WHERE idempotency_key IS NOT NULL AND created_at < now() - make_interval(secs => $1)""";

  private static final String IN_FLIGHT = """
      SELECT id, customer_id, status,
             (extract(epoch FROM now() - created_at) * 1000)::bigint AS age_ms,
             (extract(epoch FROM now() - deadline_at) * 1000)::bigint AS overdue_ms,
             count(*) OVER () AS total
      FROM orders WHERE status = 'PENDING' AND (NOT $1 OR deadline_at < now())
      ORDER BY created_at LIMIT $2""";

  private final SagaConfig saga;

  public OrderRepository(SagaConfig saga) {
    this.saga = saga;
  }

  /**
   * Stores a PENDING order, its lines, its history and {@code placed} in one statement, unless the
   * customer already used this idempotency key (then nothing is written); answers whether it stored.
   * A concurrent request with the same key waits on the unique index and then writes nothing.
   */
  public Future<Boolean> place(Pool pool, UUID orderId, String customerId, PlaceOrderRequest request,
      String correlationId, EventEnvelope placed) {
    double deadlineSeconds = saga.deadline().toMillis() / 1000.0;
    List<OrderLine> lines = request.lines();
    String[] skus = lines.stream().map(OrderLine::sku).toArray(String[]::new);
    Integer[] quantities = lines.stream().map(OrderLine::quantity).toArray(Integer[]::new);
    return Outbox.appendWith(pool, PLACE, Tuple.of(orderId, customerId, request.idempotencyKey(),
        request.fingerprint(), correlationId, deadlineSeconds, skus, quantities), placed);
  }

  /** The order's state changes as timeline entries. */
  public Future<JsonArray> timeline(SqlClient client, UUID orderId) {
    return client.preparedQuery(SELECT_HISTORY).execute(Tuple.of(orderId)).map(rows -> {
      JsonArray entries = new JsonArray();
      rows.forEach(r -> entries.add(io.ordermesh.platform.timeline.Timeline.entry(r.getOffsetDateTime("at"), "order",
          "state", r.getString("status") + (r.getString("reason") == null ? "" : " " + r.getString("reason")))));
      return entries;
    });
  }

  /** PENDING orders of every customer, oldest first; only those past their deadline when {@code stuck}. */
  /**
   * The oldest {@code limit} PENDING orders (only those past their deadline when {@code stuck}), as
   * {@code {"sagas":[…],"total"}}: {@code total} counts all of them, so a page that is not all says so.
   */
  public Future<JsonObject> inFlight(SqlClient client, boolean stuck, int limit) {
    return client.preparedQuery(IN_FLIGHT).execute(Tuple.of(stuck, limit)).map(rows -> {
      JsonArray sagas = new JsonArray();
      long total = 0;
      for (Row r : rows) {
        total = r.getLong("total");
        sagas.add(new JsonObject()
            .put("orderId", r.getUUID("id").toString())
            .put("customerId", r.getString("customer_id"))
            .put("status", r.getString("status"))
            .put("ageMs", r.getLong("age_ms"))
            .put("overdueMs", Math.max(0, r.getLong("overdue_ms"))));
      }
      return new JsonObject().put("sagas", sagas).put("total", total);
    });
  }

  /** Forgets idempotency keys older than their time to live; answers how many. */
  public Future<Integer> forgetExpiredKeys(SqlClient client) {
    return client.preparedQuery(FORGET_KEYS).execute(Tuple.of(saga.idempotencyKeyTtl().toSeconds()))
        .map(rows -> rows.rowCount());
  }

  public Future<Optional<ExistingOrder>> findByIdempotencyKey(SqlClient client, String customerId, String key) {
    return client.preparedQuery(FIND_BY_KEY).execute(Tuple.of(customerId, key))
        .map(rows -> first(rows).map(r -> new ExistingOrder(r.getUUID("id"), r.getString("request_hash"))));
  }

  /** Locks the order row so that concurrent events of one order apply one after another. */
  public Future<Optional<OrderState>> lock(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(orderId)).map(rows -> first(rows).map(OrderState::from));
  }

  /**
   * Locks PENDING orders past their deadline, skipping rows another instance is handling, so an order
   * is never timed out twice however many order services run.
   */
  public Future<List<OverdueOrder>> lockOverdue(SqlConnection tx, int limit, UUID[] except) {
    return tx.preparedQuery(LOCK_OVERDUE).execute(Tuple.of(limit, (Object) except)).map(rows -> {
      List<OverdueOrder> overdue = new ArrayList<>();
      rows.forEach(r -> overdue.add(toOverdue(r)));
      return overdue;
    });
  }

  /** The order, locked, if it is still PENDING past its deadline and no one else holds it. */
  public Future<Optional<OverdueOrder>> lockIfOverdue(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(LOCK_OVERDUE_ORDER).execute(Tuple.of(orderId)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(toOverdue(rows.iterator().next())));
  }

  private static OverdueOrder toOverdue(Row r) {
    return new OverdueOrder(OrderState.from(r), r.getString("correlation_id"));
  }

  /**
   * One page of the orders created within {@code since} (of the given customers, or of all when null),
   * at most {@code limit} in order id order after {@code after} (null: from the start), each with its
   * lines and whether it is PENDING past deadline + slack.
   */
  /** One page of the orders an invariant check looks at: those created within {@code since}, or all when it is null. */
  public Future<JsonArray> forConsistency(SqlClient client, java.time.Duration since, java.time.Duration slack,
      List<String> customers, UUID after, int limit) {
    return client.preparedQuery(ORDERS_TO_CHECK)
        .execute(Tuple.of(since == null ? null : since.toMillis() / 1000.0, slack.toMillis() / 1000.0,
            customers == null ? null : customers.toArray(String[]::new), after, limit))
        .map(rows -> {
          JsonArray orders = new JsonArray();
          rows.forEach(r -> {
            BigDecimal total = r.getBigDecimal("total");
            orders.add(new JsonObject()
                .put("orderId", r.getUUID("id").toString())
                .put("customerId", r.getString("customer_id"))
                .put("status", r.getString("status"))
                .put("total", total == null ? null : Money.format(total))
                .put("overdue", r.getBoolean("overdue"))
                .put("lines", new JsonArray(r.getValue("lines").toString())));
          });
          return orders;
        });
  }

  /**
   * Locks the orders (all different) and records each reservation's total and unit prices on those
   * PENDING without a stock reservation, in one statement; answers each order found, by id, as it was
   * before (an unknown order is absent).
   */
  public Future<Map<UUID, OrderState>> markStockReserved(SqlConnection tx, List<StockReservation> reservations) {
    int lineCount = reservations.stream().mapToInt(r -> r.lines().size()).sum();
    UUID[] ids = new UUID[reservations.size()];
    String[] totals = new String[reservations.size()];
    UUID[] lineOrders = new UUID[lineCount];
    String[] skus = new String[lineCount];
    String[] prices = new String[lineCount];
    int line = 0;
    for (int i = 0; i < reservations.size(); i++) {
      StockReservation reservation = reservations.get(i);
      ids[i] = reservation.orderId();
      totals[i] = reservation.total().toPlainString();
      for (PricedLine priced : reservation.lines()) {
        lineOrders[line] = reservation.orderId();
        skus[line] = priced.sku();
        prices[line++] = priced.unitPrice().toPlainString();
      }
    }
    return tx.preparedQuery(MARK_STOCK_RESERVED).execute(Tuple.of(ids, totals, lineOrders, skus, prices))
        .map(rows -> byOrder(rows, OrderState::from));
  }

  /**
   * Locks the orders (all different) and records a credit reservation on those PENDING without one, in
   * one statement; answers each order found, by id, as it was before, with its priced lines if its
   * stock was reserved (an unknown order is absent).
   */
  public Future<Map<UUID, CreditMarked>> markCreditReserved(SqlConnection tx, List<UUID> orderIds) {
    return tx.preparedQuery(MARK_CREDIT_RESERVED).execute(Tuple.of(orderIds.toArray(UUID[]::new)))
        .map(rows -> byOrder(rows, row -> new CreditMarked(OrderState.from(row), pricedLines(row))))
        .compose(marked -> withLinesPricedSince(tx, marked));
  }

  /**
   * {@link #MARK_CREDIT_RESERVED}'s lock waits for a transaction holding the order and then sees the
   * order's latest row, but it reads the lines with the snapshot its statement began with. When the
   * transaction it waited for recorded the order's stock reservation (another consumer of the group, on
   * a partition that just moved), the row says reserved while the lines it read are not priced yet.
   * Those orders' lines are read again by a statement of their own, whose snapshot has the commit.
   */
  private Future<Map<UUID, CreditMarked>> withLinesPricedSince(SqlConnection tx, Map<UUID, CreditMarked> marked) {
    List<Future<RowSet<Row>>> rereads = new ArrayList<>();
    List<UUID> stale = new ArrayList<>();
    marked.forEach((id, credit) -> {
      if (credit.before().stockReserved() && credit.pricedLines().stream().anyMatch(line -> line.unitPrice() == null)) {
        stale.add(id);
        rereads.add(tx.preparedQuery(SELECT_LINES).execute(Tuple.of(id)));
      }
    });
    if (stale.isEmpty()) {
      return Future.succeededFuture(marked);
    }
    return Future.all(rereads).map(v -> {
      for (int i = 0; i < stale.size(); i++) {
        UUID id = stale.get(i);
        marked.put(id, new CreditMarked(marked.get(id).before(), linesOf(rereads.get(i).result())));
      }
      return marked;
    });
  }

  private static List<PricedLine> linesOf(RowSet<Row> rows) {
    List<PricedLine> lines = new ArrayList<>(rows.size());
    rows.forEach(r -> lines.add(new PricedLine(r.getString("sku"), r.getInteger("quantity"), r.getBigDecimal("unit_price"))));
    return lines;
  }

  private static <T> Map<UUID, T> byOrder(RowSet<Row> rows, Function<Row, T> read) {
    Map<UUID, T> found = new HashMap<>();
    rows.forEach(row -> found.put(row.getUUID("id"), read.apply(row)));
    return found;
  }

  /**
   * Confirms a PENDING order, with its history row and {@code confirmed}, in one statement; answers
   * whether it did. The state is checked in the
   * statement too, not only by the caller: a second decision on the same order (a producer's duplicate
   * under another event id) then changes nothing and says nothing.
   */
  public Future<Boolean> confirm(SqlConnection tx, UUID orderId, EventEnvelope confirmed) {
    return Outbox.appendWithin(tx, CONFIRM, Tuple.of(orderId), confirmed).map(row -> row.getString("schema") != null);
  }

  private static List<PricedLine> pricedLines(Row row) {
    String[] skus = row.getArrayOfStrings("skus");
    if (skus == null) {
      return List.of();
    }
    Integer[] quantities = row.getArrayOfIntegers("quantities");
    String[] prices = row.getArrayOfStrings("unit_prices");
    List<PricedLine> lines = new ArrayList<>(skus.length);
    for (int i = 0; i < skus.length; i++) {
      lines.add(new PricedLine(skus[i], quantities[i], prices[i] == null ? null : new BigDecimal(prices[i])));
    }
    return lines;
  }

  /** Cancels the order with its history and {@code cancelled} in one statement; answers whether it did. */
  public Future<Boolean> cancel(SqlConnection tx, UUID orderId, CancellationReason reason, EventEnvelope cancelled) {
    return Outbox.appendWithin(tx, CANCEL, Tuple.of(orderId, reason.name()), cancelled).map(Outbox::appended);
  }

  /** The order as the API shows it: status, reason, priced lines, total and history. */
  public Future<Optional<JsonObject>> view(SqlClient client, UUID orderId) {
    return client.preparedQuery(SELECT_ORDER).execute(Tuple.of(orderId))
        .compose(rows -> first(rows)
            .map(row -> withDetails(client, summary(row)).map(Optional::of))
            .orElse(Future.succeededFuture(Optional.empty())));
  }

  public Future<JsonArray> listByCustomer(SqlClient client, String customerId, OrderStatus status, int limit) {
    return client.preparedQuery(LIST_BY_CUSTOMER)
        .execute(Tuple.of(customerId, status == null ? null : status.name(), limit))
        .map(rows -> {
          JsonArray orders = new JsonArray();
          rows.forEach(row -> orders.add(summary(row)));
          return orders;
        });
  }

  private Future<JsonObject> withDetails(SqlClient client, JsonObject order) {
    UUID id = UUID.fromString(order.getString("orderId"));
    Future<RowSet<Row>> lines = client.preparedQuery(SELECT_LINES).execute(Tuple.of(id));
    Future<RowSet<Row>> history = client.preparedQuery(SELECT_HISTORY).execute(Tuple.of(id));
    return Future.all(lines, history).map(v -> order
        .put("lines", linesJson(lines.result()))
        .put("history", historyJson(history.result())));
  }

  private static JsonObject summary(Row row) {
    BigDecimal total = row.getBigDecimal("total");
    return new JsonObject()
        .put("orderId", row.getUUID("id").toString())
        .put("customerId", row.getString("customer_id"))
        .put("status", row.getString("status"))
        .put("reason", row.getString("reason"))
        .put("total", total == null ? null : Money.format(total))
        .put("createdAt", instant(row.getOffsetDateTime("created_at")));
  }

  private static JsonArray linesJson(RowSet<Row> rows) {
    JsonArray lines = new JsonArray();
    rows.forEach(r -> {
      BigDecimal price = r.getBigDecimal("unit_price");
      lines.add(new JsonObject()
          .put("sku", r.getString("sku"))
          .put("quantity", r.getInteger("quantity"))
          .put("unitPrice", price == null ? null : Money.format(price)));
    });
    return lines;
  }

  private static JsonArray historyJson(RowSet<Row> rows) {
    JsonArray history = new JsonArray();
    rows.forEach(r -> history.add(new JsonObject()
        .put("status", r.getString("status"))
        .put("reason", r.getString("reason"))
        .put("at", instant(r.getOffsetDateTime("at")))));
    return history;
  }

  private static String instant(OffsetDateTime at) {
    return at.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  /** A stock reservation to record on its order: the reserved total and each line's unit price. */
  public record StockReservation(UUID orderId, List<PricedLine> lines, BigDecimal total) {
  }

  /** An order found by idempotency key: its id and the fingerprint of the request that created it. */
  public record ExistingOrder(UUID orderId, String requestFingerprint) {
  }

  /** An order as {@link #markCreditReserved} locked it, and its priced lines if its stock was reserved. */
  public record CreditMarked(OrderState before, List<PricedLine> pricedLines) {
  }

  /** A PENDING order past its deadline, with the correlation id of the request that placed it. */
  public record OverdueOrder(OrderState order, String correlationId) {
  }

  /** The saga-relevant columns of a locked order row. */
  public record OrderState(UUID orderId, String customerId, OrderStatus status, boolean stockReserved,
      boolean creditReserved, BigDecimal total, java.time.Instant createdAt) {

    static OrderState from(Row row) {
      return new OrderState(row.getUUID("id"), row.getString("customer_id"),
          OrderStatus.valueOf(row.getString("status")), row.getBoolean("stock_reserved"),
          row.getBoolean("credit_reserved"), row.getBigDecimal("total"),
          row.getOffsetDateTime("created_at").toInstant());
    }

    /** This state after {@code StockReserved} was applied to it. */
    public OrderState withStockReserved(BigDecimal reservedTotal) {
      return new OrderState(orderId, customerId, status, true, creditReserved, reservedTotal, createdAt);
    }

    /** This state after {@code CreditReserved} was applied to it. */
    public OrderState withCreditReserved() {
      return new OrderState(orderId, customerId, status, stockReserved, true, total, createdAt);
    }

    public boolean isTerminal() {
      return status != OrderStatus.PENDING;
    }
  }
}
