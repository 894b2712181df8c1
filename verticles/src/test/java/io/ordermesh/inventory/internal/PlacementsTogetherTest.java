package io.ordermesh.inventory.internal;

import static io.ordermesh.inventory.internal.OrderEvents.orderOf;
import static io.ordermesh.inventory.internal.OrderEvents.placed;
import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.inbox.GroupedEventHandler;
import io.ordermesh.testing.MigratedSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Placements and confirmations that the inventory's consumer applies a poll's worth at a time, on real
 * PostgreSQL: the outcome is always one that deciding each order alone, in turn, would have had.
 */
class PlacementsTogetherTest {

  private static final BigDecimal PRICE = new BigDecimal("2.50");
  /**
   * Counted by the calling backend itself, so exact at once (it may include earlier transactions of the
   * same connection not yet flushed to the shared statistics: compare before and after).
   */
  private static final String PRODUCT_UPDATES = "SELECT coalesce(sum(n_tup_upd), 0) AS n FROM pg_stat_xact_user_tables"
      + " WHERE relname = 'products' AND schemaname = current_schema()";
  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("inventory", "db/inventory");
  private Vertx vertx;
  private Database db;
  private StockEventHandlers handlers;

  @BeforeEach
  void migrate() {
    vertx = schema.vertx();
    db = schema.db();
    handlers = new StockEventHandlers(new InventoryRepository());
    join(new InventoryRepository().seed(db.pool(), new JsonObject().put("products", new JsonArray()
        .add(product("SKU-1", 10))
        .add(product("SKU-2", 10)))));
  }


  @Test
  void reservesEveryOrderOfAGroupInOneStatementWhenTheirSumFits() {
    List<EventEnvelope> placed = List.of(placed("SKU-1", 2), placed("SKU-1", 3, "SKU-2", 1), placed("SKU-2", 4));

    assertThat(applyTogether(EventType.ORDER_PLACED, placed)).as("each product row updated once").isEqualTo(2);

    assertThat(stock("SKU-1")).isEqualTo("available 5 reserved 5 sold 0");
    assertThat(stock("SKU-2")).isEqualTo("available 5 reserved 5 sold 0");
    assertThat(outbox()).containsExactlyInAnyOrder(
        "StockReserved " + orderOf(placed.get(0)) + " 5.00",
        "StockReserved " + orderOf(placed.get(1)) + " 10.00",
        "StockReserved " + orderOf(placed.get(2)) + " 10.00");
    assertThat(reservations()).isEqualTo(4);
  }

  @Test
  void decidesTheOrdersInTurnWhenTogetherTheyWantMoreThanTheStock() {
    List<EventEnvelope> placed = List.of(placed("SKU-1", 4), placed("SKU-1", 4), placed("SKU-1", 4));

    assertThat(applyTogether(EventType.ORDER_PLACED, placed)).as("one update per order reserved alone").isEqualTo(2);

    assertThat(stock("SKU-1")).isEqualTo("available 2 reserved 8 sold 0");
    assertThat(outbox()).containsExactlyInAnyOrder(
        "StockReserved " + orderOf(placed.get(0)) + " 10.00",
        "StockReserved " + orderOf(placed.get(1)) + " 10.00",
        "StockRejected " + orderOf(placed.get(2)) + " OUT_OF_STOCK");
  }

  @Test
  void leavesCancelledOrdersAndUnknownSkusOutOfTheGroupAndReservesTheRest() {
    EventEnvelope cancelledFirst = placed("SKU-1", 1);
    join(db.pool().preparedQuery("INSERT INTO cancelled_orders (order_id) VALUES ($1)")
        .execute(Tuple.of(orderOf(cancelledFirst))));
    EventEnvelope unknown = placed("SKU-1", 1, "SKU-404", 1);
    EventEnvelope fine = placed("SKU-2", 3);

    applyTogether(EventType.ORDER_PLACED, List.of(cancelledFirst, unknown, fine));

    assertThat(stock("SKU-1")).isEqualTo("available 10 reserved 0 sold 0");
    assertThat(stock("SKU-2")).isEqualTo("available 7 reserved 3 sold 0");
    assertThat(outbox()).containsExactlyInAnyOrder(
        "StockRejected " + orderOf(unknown) + " UNKNOWN_SKU",
        "StockReserved " + orderOf(fine) + " 7.50");
  }

  @Test
  void sellsTheReservedStockOfAGroupOfConfirmationsOnce() {
    List<EventEnvelope> placed = List.of(placed("SKU-1", 2), placed("SKU-1", 1, "SKU-2", 2));
    applyTogether(EventType.ORDER_PLACED, placed);
    List<EventEnvelope> confirmed = placed.stream().map(PlacementsTogetherTest::confirmed).toList();

    assertThat(applyTogether(EventType.ORDER_CONFIRMED, confirmed)).as("each product row updated once").isEqualTo(2);
    applyTogether(EventType.ORDER_CONFIRMED, confirmed);

    assertThat(stock("SKU-1")).isEqualTo("available 7 reserved 0 sold 3");
    assertThat(stock("SKU-2")).as("a confirmation applied twice sells once").isEqualTo("available 8 reserved 0 sold 2");
  }

  @Test
  void aPlacementAppliedAgainAfterTheInboxForgotItMovesNoStockAndSaysNothing() {
    EventEnvelope alone = placed("SKU-1", 2);
    List<EventEnvelope> grouped = List.of(placed("SKU-2", 1), placed("SKU-2", 2));
    applyTogether(EventType.ORDER_PLACED, List.of(alone));
    applyTogether(EventType.ORDER_PLACED, grouped);
    EventEnvelope sold = confirmed(grouped.get(0));
    applyTogether(EventType.ORDER_CONFIRMED, List.of(sold));

    // Past the inbox's retention the same records are fresh to it: alone, and as a group.
    applyTogether(EventType.ORDER_PLACED, List.of(alone));
    applyTogether(EventType.ORDER_PLACED, grouped);

    assertThat(stock("SKU-1")).isEqualTo("available 8 reserved 2 sold 0");
    assertThat(stock("SKU-2")).as("a sold order's placement reserves nothing again")
        .isEqualTo("available 7 reserved 2 sold 1");
    assertThat(outbox()).as("one answer per order").containsExactlyInAnyOrder(
        "StockReserved " + orderOf(alone) + " 5.00",
        "StockReserved " + orderOf(grouped.get(0)) + " 2.50",
        "StockReserved " + orderOf(grouped.get(1)) + " 5.00");
  }

  /** Answers how many product row versions the transaction wrote. */
  private long applyTogether(EventType type, List<EventEnvelope> events) {
    GroupedEventHandler handler = (GroupedEventHandler) handlers.handlers().get(type);
    return join(db.pool().withTransaction(tx -> tx.query(PRODUCT_UPDATES).execute()
        .map(rows -> rows.iterator().next().getLong("n"))
        .compose(before -> handler.handleAll(tx, events)
            .compose(v -> tx.query(PRODUCT_UPDATES).execute())
            .map(rows -> rows.iterator().next().getLong("n") - before))));
  }

  private String stock(String sku) {
    Row row = join(db.pool().preparedQuery("SELECT available, reserved, sold FROM products WHERE sku = $1")
        .execute(Tuple.of(sku))).iterator().next();
    return "available " + row.getInteger("available") + " reserved " + row.getInteger("reserved")
        + " sold " + row.getInteger("sold");
  }

  /** "StockReserved orderId total" or "StockRejected orderId reason" per outbox row. */
  private List<String> outbox() {
    List<String> events = new ArrayList<>();
    join(db.pool().query("SELECT event_type, payload FROM outbox ORDER BY id").execute()).forEach(row -> {
      JsonObject data = new JsonObject(row.getString("payload")).getJsonObject("data");
      String type = row.getString("event_type");
      events.add(type + " " + data.getString("orderId") + " "
          + ("StockReserved".equals(type) ? data.getString("total") : data.getString("reason")));
    });
    return events;
  }

  private long reservations() {
    return join(db.pool().query("SELECT count(*) AS n FROM reservations WHERE state = 'RESERVED'").execute())
        .iterator().next().getLong("n");
  }

  private static EventEnvelope confirmed(EventEnvelope placed) {
    return OrderEvents.confirmed(placed, PRICE);
  }

  private static JsonObject product(String sku, int stock) {
    return new JsonObject().put("sku", sku).put("name", sku).put("price", PRICE.toPlainString()).put("stock", stock);
  }
}
