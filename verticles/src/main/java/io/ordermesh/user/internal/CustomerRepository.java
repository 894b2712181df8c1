package io.ordermesh.user.internal;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.Money;
import io.ordermesh.events.customer.CreditReleased;
import io.ordermesh.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** All SQL of the user service. Methods taking a {@link SqlConnection} run inside the caller's transaction. */
public final class CustomerRepository {

  private static final String GET = """
      SELECT id, name, email, credit_limit, credit_available FROM customers WHERE id = $1""";
  private static final String LOCK_CUSTOMERS = """
      SELECT id FROM customers WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE""";
  /**
   * Locks the customer and, when it has the credit and the order has no reservation row yet (a
   * cancellation may have written VOID first), holds the amount; {@link #RESERVE} appends the event
   * to the same statement and answers the credit that was available (null: no such customer).
   */
  private static final String RESERVE_STEPS = """
      WITH customer AS (
        SELECT id, credit_available FROM customers WHERE id = $2 FOR UPDATE),
      held AS (
        INSERT INTO credit_reservations (order_id, customer_id, amount, state)
        SELECT $1::uuid, customer.id, $3, 'RESERVED' FROM customer WHERE customer.credit_available >= $3
        ON CONFLICT (order_id) DO NOTHING
        RETURNING order_id),
      moved AS (
        UPDATE customers SET credit_available = credit_available - $3, credit_reserved = credit_reserved + $3
        FROM held WHERE customers.id = $2)""";
  /*
   * Also answers whether the order had a reservation row before (the statement's snapshot does not see
   * the row `held` inserts): a decided order is reported as such, whatever its customer's credit now.
   */
  private static final String RESERVE = Outbox.withAppend(RESERVE_STEPS, "held", 3,
      "(SELECT credit_available FROM customer) AS credit_available,"
          + " EXISTS (SELECT 1 FROM credit_reservations WHERE order_id = $1) AS decided_before");
  /** A RESERVED reservation CAPTURED, and its amount moved from reserved to spent: nothing otherwise. */
  private static final String CAPTURE_RESERVED = """
      WITH captured AS (
        UPDATE credit_reservations SET state = 'CAPTURED', updated_at = now()
        WHERE order_id = $1 AND state = 'RESERVED' RETURNING customer_id, amount)
      UPDATE customers SET credit_reserved = credit_reserved - captured.amount,
        credit_spent = credit_spent + captured.amount
      FROM captured WHERE customers.id = captured.customer_id""";
  private static final String INSERT_RESERVATION = """
      INSERT INTO credit_reservations (order_id, customer_id, amount, state) VALUES ($1, $2, $3, $4)
      ON CONFLICT (order_id) DO NOTHING""";
  /**
   * A RESERVED or CAPTURED reservation RELEASED, its amount moved back to available from the bucket it
   * was in; answers the customer and the amount, or nothing when the order held no credit. The state
   * is read under the row's lock, so a second cancellation, or one racing a capture, gives back once.
   */
  private static final String RELEASE_HELD = """
      WITH held AS (
        SELECT order_id, customer_id, amount, state FROM credit_reservations
        WHERE order_id = $1 AND state IN ('RESERVED', 'CAPTURED') FOR UPDATE),
      released AS (
        UPDATE credit_reservations SET state = 'RELEASED', updated_at = now()
        FROM held WHERE credit_reservations.order_id = held.order_id
        RETURNING held.customer_id, held.amount, held.state AS held_as),
      given_back AS (
        UPDATE customers SET
          credit_reserved = credit_reserved - CASE WHEN released.held_as = 'RESERVED' THEN released.amount ELSE 0 END,
          credit_spent = credit_spent - CASE WHEN released.held_as = 'CAPTURED' THEN released.amount ELSE 0 END,
          credit_available = credit_available + released.amount
        FROM released WHERE customers.id = released.customer_id)
      SELECT customer_id, amount FROM released""";
  private static final String CREDIT_VIOLATIONS = """
      SELECT id, credit_limit, credit_available, credit_reserved, credit_spent FROM customers
      WHERE credit_limit <> credit_available + credit_reserved + credit_spent""";
  private static final String HOLDINGS = """
      SELECT order_id, amount, state FROM credit_reservations
      WHERE order_id = ANY($1) AND state IN ('RESERVED', 'CAPTURED')""";
  private static final String SEED = """
      INSERT INTO customers (id, name, email, credit_limit, credit_available) VALUES ($1, $2, $3, $4, $4)
      ON CONFLICT (id) DO NOTHING
      RETURNING id""";

  public Future<Optional<JsonObject>> find(SqlClient client, String customerId) {
    return client.preparedQuery(GET).execute(Tuple.of(customerId)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(view(it.next())) : Optional.empty();
    });
  }

  /**
   * Holds {@code amount} of the customer's credit for the order and appends {@code reserved}, in one
   * statement, unless the order already has a reservation row; answers what happened.
   */
  public Future<ReserveOutcome> reserve(SqlConnection tx, UUID orderId, String customerId, BigDecimal amount,
      EventEnvelope reserved) {
    return Outbox.appendWithin(tx, RESERVE, Tuple.of(orderId, customerId, amount), reserved).map(row -> {
      BigDecimal available = row.getBigDecimal("credit_available");
      if (Outbox.appended(row)) {
        return ReserveOutcome.RESERVED;
      } else if (row.getBoolean("decided_before")) {
        return ReserveOutcome.ALREADY_DECIDED;
      } else if (available == null) {
        return ReserveOutcome.UNKNOWN_CUSTOMER;
      } else if (available.compareTo(amount) < 0) {
        return ReserveOutcome.CREDIT_LIMIT_EXCEEDED;
      }
      // Credit enough and no row before, yet none held: a concurrent decision took the order first.
      return ReserveOutcome.ALREADY_DECIDED;
    });
  }

  /** Locks the given customers' rows in id order (unknown ids are skipped). */
  public Future<Void> lockCustomers(SqlConnection tx, Collection<String> customerIds) {
    return tx.preparedQuery(LOCK_CUSTOMERS).execute(Tuple.of(customerIds.toArray(String[]::new))).mapEmpty();
  }

  /**
   * Remembers that an order died before its credit was reserved, so a late reservation is refused.
   * Answers false when the order already had a reservation row (then the caller releases it instead).
   */
  public Future<Boolean> markVoid(SqlConnection tx, UUID orderId, String customerId) {
    return insertReservation(tx, orderId, customerId, Money.ZERO, ReservationState.VOID);
  }

  private Future<Boolean> insertReservation(SqlConnection tx, UUID orderId, String customerId, BigDecimal amount,
      ReservationState state) {
    return tx.preparedQuery(INSERT_RESERVATION).execute(Tuple.of(orderId, customerId, amount, state.name()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Captures the order's credit if it is still RESERVED (not yet captured, released or void). */
  public Future<Void> captureReserved(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(CAPTURE_RESERVED).execute(Tuple.of(orderId)).mapEmpty();
  }

  /**
   * Gives back what the order holds, reserved or captured (a confirmed order that is cancelled is
   * refunded), and marks its reservation RELEASED; empty when it held nothing (void, or released before).
   */
  public Future<Optional<CreditReleased>> releaseHeld(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(RELEASE_HELD).execute(Tuple.of(orderId)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return Optional.of(new CreditReleased(orderId, row.getString("customer_id"), row.getBigDecimal("amount")));
    });
  }

  /** Customers whose credit buckets do not add up to their limit. */
  public Future<JsonArray> creditViolations(SqlClient client) {
    return client.query(CREDIT_VIOLATIONS).execute().map(rows -> {
      JsonArray violations = new JsonArray();
      rows.forEach(r -> violations.add(new JsonObject()
          .put("invariant", "credit-conserved")
          .put("subject", r.getString("id"))
          .put("detail", "limit " + r.getBigDecimal("credit_limit") + " != available " + r.getBigDecimal("credit_available")
              + " + reserved " + r.getBigDecimal("credit_reserved") + " + spent " + r.getBigDecimal("credit_spent"))));
      return violations;
    });
  }

  /** What credit each of the given orders holds: {@code {orderId:{"reserved":"…","captured":"…"}}}. */
  public Future<JsonObject> holdings(SqlClient client, List<UUID> orderIds) {
    return client.preparedQuery(HOLDINGS).execute(Tuple.of(orderIds.toArray(UUID[]::new))).map(rows -> {
      JsonObject holdings = new JsonObject();
      rows.forEach(r -> {
        String bucket = "RESERVED".equals(r.getString("state")) ? "reserved" : "captured";
        holdings.put(r.getUUID("order_id").toString(),
            new JsonObject().put(bucket, Money.format(r.getBigDecimal("amount"))));
      });
      return holdings;
    });
  }

  /**
   * Inserts the configured seed customers that do not exist yet, so a restart never resets credit;
   * answers the ids it inserted. Seed JSON: {@code {"customers":[{"id","name","email","creditLimit"}]}}.
   */
  public Future<List<String>> seed(SqlClient client, JsonObject seed) {
    JsonArray customers = seed.getJsonArray("customers", new JsonArray());
    if (customers.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Tuple> rows = customers.stream().map(JsonObject.class::cast)
        .map(c -> Tuple.of(c.getString("id"), c.getString("name"), c.getString("email"),
            Money.parse(c.getString("creditLimit"))))
        .toList();
    return client.preparedQuery(SEED).executeBatch(rows).map(CustomerRepository::insertedIds);
  }

  /** A batch answers one result per row given: the id when it was inserted, nothing when it existed. */
  private static List<String> insertedIds(RowSet<Row> first) {
    List<String> ids = new ArrayList<>();
    for (RowSet<Row> result = first; result != null; result = result.next()) {
      result.forEach(row -> ids.add(row.getString("id")));
    }
    return ids;
  }

  private static JsonObject view(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("name", row.getString("name"))
        .put("email", row.getString("email"))
        .put("creditLimit", Money.format(row.getBigDecimal("credit_limit")))
        .put("creditAvailable", Money.format(row.getBigDecimal("credit_available")));
  }

  /** The states of an order's credit reservation; VOID = the order was cancelled before any credit was held. */
  public enum ReservationState {
    RESERVED,
    CAPTURED,
    RELEASED,
    VOID
  }

  /**
   * What a stock reservation did to the customer's credit: held it, or found the order decided before
   * (a reservation or a VOID row), or could not hold it for the reason named.
   */
  public enum ReserveOutcome {
    RESERVED,
    ALREADY_DECIDED,
    UNKNOWN_CUSTOMER,
    CREDIT_LIMIT_EXCEEDED
  }
}
