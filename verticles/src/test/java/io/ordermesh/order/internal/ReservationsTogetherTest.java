package io.ordermesh.order.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.inventory.StockRejected;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.inbox.GroupedEventHandler;
import io.ordermesh.testing.RowLocks;
import io.ordermesh.testing.MigratedSchema;
import io.ordermesh.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stock and credit reservations that the order service's consumer records a poll's worth at a time, on
 * real PostgreSQL: each order ends as recording its reservations one by one would have left it.
 */
class ReservationsTogetherTest {

  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("orders", "db/order");
  private Vertx vertx;
  private Database db;
  private OrderSagaSteps saga;

  @BeforeEach
  void migrate() {
    vertx = schema.vertx();
    db = schema.db();
    saga = new OrderSagaSteps(db, new StatusFeed(vertx), List.of(
        new PricedLine("SKU-1", 2, new BigDecimal("2.50")), new PricedLine("SKU-2", 1, new BigDecimal("4.00"))));
  }

  @Test
  void confirmsTheOrdersWhoseCreditWasInAndRecordsTheStockOfTheOthers() {
    UUID creditFirst = place();
    UUID stockFirst = place();
    saga.apply(EventType.CREDIT_RESERVED, saga.creditReserved(creditFirst));

    applyTogether(EventType.STOCK_RESERVED, List.of(saga.stockReserved(creditFirst), saga.stockReserved(stockFirst)));

    assertThat(state(creditFirst)).isEqualTo("CONFIRMED stock true credit true total 9.00");
    assertThat(state(stockFirst)).isEqualTo("PENDING stock true credit false total 9.00");
    assertThat(unitPrices(stockFirst)).as("each line priced by its own reservation").containsExactly("2.50", "4.00");
    assertThat(outbox()).containsExactly("OrderConfirmed " + creditFirst + " 9.00 SKU-1x2@2.50 SKU-2x1@4.00");
  }

  @Test
  void confirmsTheOrdersWhoseStockWasInWithTheirPricedLinesAndRecordsTheCreditOfTheOthers() {
    UUID stockFirst = place();
    UUID creditFirst = place();
    saga.apply(EventType.STOCK_RESERVED, saga.stockReserved(stockFirst));

    applyTogether(EventType.CREDIT_RESERVED, List.of(saga.creditReserved(stockFirst), saga.creditReserved(creditFirst)));

    assertThat(state(stockFirst)).isEqualTo("CONFIRMED stock true credit true total 9.00");
    assertThat(state(creditFirst)).isEqualTo("PENDING stock false credit true total null");
    assertThat(outbox()).containsExactly("OrderConfirmed " + stockFirst + " 9.00 SKU-1x2@2.50 SKU-2x1@4.00");
  }

  @Test
  void confirmsEveryOrderAGroupCompletesEachWithItsHistoryAndItsEventInTheGroupsOrder() {
    List<UUID> completed = List.of(place(), place(), place());
    UUID halfway = place();
    completed.forEach(order -> saga.apply(EventType.CREDIT_RESERVED, saga.creditReserved(order)));

    applyTogether(EventType.STOCK_RESERVED, List.of(saga.stockReserved(completed.get(2)),
        saga.stockReserved(halfway), saga.stockReserved(completed.get(0)), saga.stockReserved(completed.get(1))));

    completed.forEach(order -> {
      assertThat(state(order)).isEqualTo("CONFIRMED stock true credit true total 9.00");
      assertThat(history(order)).containsExactly("PENDING", "CONFIRMED");
    });
    assertThat(state(halfway)).isEqualTo("PENDING stock true credit false total 9.00");
    assertThat(outbox()).containsExactly(
        "OrderConfirmed " + completed.get(2) + " 9.00 SKU-1x2@2.50 SKU-2x1@4.00",
        "OrderConfirmed " + completed.get(0) + " 9.00 SKU-1x2@2.50 SKU-2x1@4.00",
        "OrderConfirmed " + completed.get(1) + " 9.00 SKU-1x2@2.50 SKU-2x1@4.00");
  }

  @Test
  void changesNothingForCancelledUnknownOrAlreadyRecordedOrdersInAGroup() {
    UUID cancelled = place();
    saga.apply(EventType.STOCK_REJECTED, EventEnvelope.wrap(
        new StockRejected(cancelled, OrderSagaSteps.CUSTOMER, CancellationReason.OUT_OF_STOCK, List.of("SKU-1")), "inventory", "corr", null));
    UUID recorded = place();
    saga.apply(EventType.STOCK_RESERVED, saga.stockReserved(recorded));
    UUID unknown = UUID.randomUUID();
    UUID fresh = place();
    List<String> outboxBefore = outbox();

    applyTogether(EventType.STOCK_RESERVED,
        List.of(saga.stockReserved(cancelled), saga.stockReserved(unknown), saga.stockReserved(recorded), saga.stockReserved(fresh)));

    assertThat(state(cancelled)).isEqualTo("CANCELLED stock false credit false total null");
    assertThat(state(recorded)).isEqualTo("PENDING stock true credit false total 9.00");
    assertThat(state(fresh)).isEqualTo("PENDING stock true credit false total 9.00");
    assertThat(state(unknown)).isEqualTo("absent");
    assertThat(outbox()).as("no event for any of them").isEqualTo(outboxBefore);
  }

  @Test
  void confirmsAnOrderOnceWhenItsCreditAnswerComesAgainInALaterGroup() {
    UUID order = place();
    UUID other = place();
    UUID yetAnother = place();
    saga.apply(EventType.STOCK_RESERVED, saga.stockReserved(order));
    applyTogether(EventType.CREDIT_RESERVED, List.of(saga.creditReserved(order), saga.creditReserved(other)));

    applyTogether(EventType.CREDIT_RESERVED, List.of(saga.creditReserved(order), saga.creditReserved(yetAnother)));

    assertThat(state(order)).isEqualTo("CONFIRMED stock true credit true total 9.00");
    assertThat(outbox()).containsExactly("OrderConfirmed " + order + " 9.00 SKU-1x2@2.50 SKU-2x1@4.00");
  }

  @Test
  void confirmsWithPricedLinesWhenTheStockReservationCommittedWhileTheCreditWaitedForTheOrder() {
    UUID order = place();
    Database probe = Database.connect(vertx, TestPostgres.uri(), db.schema(), 1);
    SqlConnection stockSide = join(db.pool().getConnection());
    Transaction stockTx = join(stockSide.begin());
    join(saga.handler(EventType.STOCK_RESERVED).handle(stockSide, saga.stockReserved(order)));

    // Another consumer's credit answer for the same order (a partition that just moved): its statement
    // begins, takes its snapshot, and waits for the order row the stock side holds.
    Future<Void> creditSide = db.pool().withTransaction(tx ->
        saga.handler(EventType.CREDIT_RESERVED).handle(tx, saga.creditReserved(order)));
    await().atMost(Duration.ofSeconds(30)).until(() -> RowLocks.waiting(probe.pool()) == 1);
    join(stockTx.commit().eventually(stockSide::close));
    join(creditSide);

    assertThat(state(order)).isEqualTo("CONFIRMED stock true credit true total 9.00");
    assertThat(outbox()).containsExactly("OrderConfirmed " + order + " 9.00 SKU-1x2@2.50 SKU-2x1@4.00");
  }

  private UUID place() {
    UUID orderId = saga.place();
    // only the saga's own events count below
    join(db.pool().query("DELETE FROM outbox").execute());
    return orderId;
  }


  private void applyTogether(EventType type, List<EventEnvelope> events) {
    GroupedEventHandler handler = (GroupedEventHandler) saga.handler(type);
    join(db.pool().withTransaction(tx -> handler.handleAll(tx, events)));
  }



  private String state(UUID orderId) {
    var rows = join(db.pool().preparedQuery("SELECT status, stock_reserved, credit_reserved, total FROM orders WHERE id = $1")
        .execute(Tuple.of(orderId)));
    if (rows.size() == 0) {
      return "absent";
    }
    Row row = rows.iterator().next();
    BigDecimal total = row.getBigDecimal("total");
    return row.getString("status") + " stock " + row.getBoolean("stock_reserved") + " credit "
        + row.getBoolean("credit_reserved") + " total " + (total == null ? null : total.setScale(2).toPlainString());
  }

  private List<String> unitPrices(UUID orderId) {
    List<String> prices = new ArrayList<>();
    join(db.pool().preparedQuery("SELECT unit_price FROM order_lines WHERE order_id = $1 ORDER BY line_no")
        .execute(Tuple.of(orderId))).forEach(row -> prices.add(row.getBigDecimal("unit_price").setScale(2).toPlainString()));
    return prices;
  }

  private List<String> history(UUID orderId) {
    List<String> statuses = new ArrayList<>();
    join(db.pool().preparedQuery("SELECT status FROM order_history WHERE order_id = $1 ORDER BY at")
        .execute(Tuple.of(orderId))).forEach(row -> statuses.add(row.getString("status")));
    return statuses;
  }

  /** "OrderConfirmed orderId total sku x quantity @ price ..." per outbox row. */
  private List<String> outbox() {
    List<String> events = new ArrayList<>();
    join(db.pool().query("SELECT event_type, payload FROM outbox ORDER BY id").execute()).forEach(row -> {
      JsonObject data = new JsonObject(row.getString("payload")).getJsonObject("data");
      StringBuilder event = new StringBuilder(row.getString("event_type")).append(' ').append(data.getString("orderId"))
          .append(' ').append(data.getString("total"));
      data.getJsonArray("lines").forEach(line -> {
        JsonObject l = (JsonObject) line;
        event.append(' ').append(l.getString("sku")).append('x').append(l.getInteger("quantity"))
            .append('@').append(l.getString("unitPrice"));
      });
      events.add(event.toString());
    });
    return events;
  }

}
