package io.ordermesh.order.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.order.OrderPlaced;
import io.ordermesh.platform.config.OrdermeshConfig.SagaConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.testing.MigratedSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deadline sweeper on real PostgreSQL: a backlog of overdue orders (a dependency was down for a
 * while) is cancelled batch after batch in one sweep, each once, with its event, and nothing else is;
 * an order whose cancellation fails costs only itself.
 */
class DeadlineSweeperTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int OVERDUE = 250;
  private static final List<OrderLine> LINES = List.of(new OrderLine("SKU-1", 1));

  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("orders", "db/order");
  private Vertx vertx;
  private Database db;
  private OrderRepository orders;

  @BeforeEach
  void migrate() {
    vertx = schema.vertx();
    db = schema.db();
    orders = new OrderRepository(new SagaConfig(DEADLINE));
  }


  @Test
  void cancelsABacklogLongerThanABatchInOneSweepAndLeavesOrdersWithinTheirDeadline() {
    join(Future.all(IntStream.range(0, OVERDUE).mapToObj(i -> place()).toList()));
    join(db.pool().query("UPDATE orders SET deadline_at = now() - interval '1 second'").execute());
    join(db.pool().query("DELETE FROM outbox").execute());
    UUID onTime = join(place());
    DeadlineSweeper sweeper = new DeadlineSweeper(vertx, db, orders, lifecycle(), DEADLINE);

    assertThat(join(sweeper.sweepUntilCaughtUp())).isEqualTo(OVERDUE);

    assertThat(count("SELECT count(*) AS n FROM orders WHERE status = 'CANCELLED' AND reason = 'TIMEOUT'"))
        .isEqualTo(OVERDUE);
    assertThat(count("SELECT count(*) AS n FROM outbox WHERE event_type = 'OrderCancelled'")).isEqualTo(OVERDUE);
    assertThat(count("SELECT count(*) AS n FROM orders WHERE status = 'PENDING' AND id = '" + onTime + "'"))
        .isEqualTo(1);
    assertThat(join(sweeper.sweepUntilCaughtUp())).as("nothing overdue is left").isZero();
  }

  @Test
  void anOrderWhoseCancellationFailsHoldsBackNoneOfItsBatch() {
    List<UUID> overdue = join(Future.all(IntStream.range(0, 5).mapToObj(i -> place()).toList())).list();
    UUID poisoned = overdue.get(2);
    join(db.pool().query("UPDATE orders SET deadline_at = now() - interval '1 second'").execute());
    join(db.pool().query("DELETE FROM outbox").execute());
    // A cancellation the database refuses, for one order only (as a constraint or a bug would).
    join(db.pool().query("""
        CREATE FUNCTION refuse_cancel() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'cancellation refused for this test'; END $$;
        CREATE TRIGGER refuse_cancel BEFORE UPDATE ON orders FOR EACH ROW
          WHEN (NEW.status = 'CANCELLED' AND NEW.id = '%s') EXECUTE FUNCTION refuse_cancel();
        """.formatted(poisoned)).execute());
    DeadlineSweeper sweeper = new DeadlineSweeper(vertx, db, orders, lifecycle(), DEADLINE);

    assertThat(join(sweeper.sweepUntilCaughtUp())).isEqualTo(4);

    assertThat(count("SELECT count(*) AS n FROM orders WHERE status = 'CANCELLED' AND reason = 'TIMEOUT'")).isEqualTo(4);
    assertThat(count("SELECT count(*) AS n FROM outbox WHERE event_type = 'OrderCancelled'"))
        .as("no event for the order that stayed PENDING").isEqualTo(4);
    assertThat(count("SELECT count(*) AS n FROM orders WHERE status = 'PENDING' AND id = '" + poisoned + "'"))
        .isEqualTo(1);
    join(db.pool().query("DROP TRIGGER refuse_cancel ON orders").execute());
    assertThat(join(sweeper.sweepUntilCaughtUp())).as("held back for a while, not claimed every sweep").isZero();
    DeadlineSweeper anotherNodes = new DeadlineSweeper(vertx, db, orders, lifecycle(), DEADLINE);
    assertThat(join(anotherNodes.sweepUntilCaughtUp())).as("not lost: tried again, and cancelled").isEqualTo(1);
  }

  private Future<UUID> place() {
    UUID orderId = UUID.randomUUID();
    EventEnvelope placed = EventEnvelope.wrap(new OrderPlaced(orderId, "alice", LINES), "order", "corr", null);
    return orders.place(db.pool(), orderId, "alice", new PlaceOrderRequest("key-" + orderId, LINES), "corr", placed)
        .map(orderId);
  }

  private long count(String sql) {
    return join(db.pool().query(sql).execute()).iterator().next().getLong("n");
  }

  private OrderLifecycle lifecycle() {
    return new OrderLifecycle(orders, new StatusFeed(vertx));
  }
}
