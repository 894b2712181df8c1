package io.ordermesh.order.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.inventory.StockRejected;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.metrics.Metrics;
import io.ordermesh.testing.MigratedSchema;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Saga outcomes are counted when the transaction that reached them commits: a consumer's batch that
 * is rolled back and applied again record by record reports each outcome once.
 */
class SagaOutcomesTest {

  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("orders", "db/order");
  private Database db;
  private OrderSagaSteps saga;

  @BeforeEach
  void migrate() {
    db = schema.db();
    saga = new OrderSagaSteps(db, new StatusFeed(schema.vertx()),
        List.of(new PricedLine("SKU-1", 2, new BigDecimal("2.50"))));
  }

  @Test
  void countsAConfirmationOnceItsTransactionCommitsAndNotForTheAttemptRolledBack() {
    UUID order = saga.place();
    saga.apply(EventType.STOCK_RESERVED, saga.stockReserved(order));
    double before = outcomes("CONFIRMED", "none");

    applyThenRollBack(EventType.CREDIT_RESERVED, saga.creditReserved(order));
    assertThat(outcomes("CONFIRMED", "none")).as("rolled back").isEqualTo(before);

    saga.apply(EventType.CREDIT_RESERVED, saga.creditReserved(order));
    assertThat(outcomes("CONFIRMED", "none")).isEqualTo(before + 1);
  }

  @Test
  void countsACancellationOnceItsTransactionCommitsAndNotForTheAttemptRolledBack() {
    UUID order = saga.place();
    EventEnvelope rejected = EventEnvelope.wrap(
        new StockRejected(order, OrderSagaSteps.CUSTOMER, CancellationReason.OUT_OF_STOCK, List.of("SKU-1")), "inventory", "corr", null);
    double before = outcomes("CANCELLED", "OUT_OF_STOCK");

    applyThenRollBack(EventType.STOCK_REJECTED, rejected);
    assertThat(outcomes("CANCELLED", "OUT_OF_STOCK")).as("rolled back").isEqualTo(before);

    saga.apply(EventType.STOCK_REJECTED, rejected);
    assertThat(outcomes("CANCELLED", "OUT_OF_STOCK")).isEqualTo(before + 1);
  }

  @Test
  void cancelsOnceWhenTwoDecisionsReachTheSameOrder() {
    UUID order = saga.place();
    double before = outcomes("CANCELLED", "TIMEOUT");
    OrderLifecycle lifecycle = saga.lifecycle();

    // The deadline and a rejection both decided on the state they had locked: the second finds it done.
    join(db.pool().withTransaction(tx -> saga.orders().lock(tx, order).compose(state -> lifecycle.cancel(tx, state.orElseThrow(),
        CancellationReason.TIMEOUT, "corr", null, null).compose(v -> lifecycle.cancel(tx, state.orElseThrow(),
        CancellationReason.TIMEOUT, "corr", null, null)))));

    assertThat(count("SELECT count(*) AS n FROM order_history WHERE order_id = $1 AND status = 'CANCELLED'", order))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) AS n FROM outbox WHERE record_key = $1 AND event_type = 'OrderCancelled'",
        order.toString())).isEqualTo(1);
    assertThat(outcomes("CANCELLED", "TIMEOUT")).isEqualTo(before + 1);
  }

  private long count(String sql, Object parameter) {
    return join(db.pool().preparedQuery(sql).execute(Tuple.of(parameter))).iterator().next().getLong("n");
  }

  private static double outcomes(String status, String reason) {
    Counter counter = Metrics.registry().find("ordermesh.saga.outcomes").tag("status", status).tag("reason", reason)
        .counter();
    return counter == null ? 0 : counter.count();
  }



  /** As a batch whose other record failed: the handler's statements ran, then the transaction rolled back. */
  private void applyThenRollBack(EventType type, EventEnvelope event) {
    Future<Void> attempt = db.pool().withTransaction(tx -> saga.handler(type).handle(tx, event)
        .compose(v -> Future.<Void>failedFuture(new IllegalStateException("a neighbour in the batch failed"))));
    assertThat(attempt.transform(ar -> Future.succeededFuture(ar.failed())).toCompletionStage().toCompletableFuture()
        .join()).isTrue();
    assertThat(status(event)).as("the rollback undid the change").isEqualTo("PENDING");
  }

  private String status(EventEnvelope event) {
    UUID orderId = UUID.fromString(event.aggregateId());
    return join(db.pool().preparedQuery("SELECT status FROM orders WHERE id = $1").execute(Tuple.of(orderId)))
        .iterator().next().getString("status");
  }



}
