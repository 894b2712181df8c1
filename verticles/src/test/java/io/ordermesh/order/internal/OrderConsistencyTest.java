package io.ordermesh.order.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.order.OrderPlaced;
import io.ordermesh.platform.bus.Replies;
import io.ordermesh.platform.config.OrdermeshConfig.SagaConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.testing.MigratedSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What operators ask of the order service about all orders, on real PostgreSQL: the invariant check
 * looks at every order, however old, unless the caller names a window (an order stuck PENDING for days
 * is a violation today); the list of in-flight sagas says how many there are beyond its page.
 */
class OrderConsistencyTest {

  private static final List<OrderLine> LINES = List.of(new OrderLine("SKU-1", 1));

  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("orders", "db/order");
  private Vertx vertx;
  private Database db;
  private OrderRepository orders;

  @BeforeEach
  void serve() {
    vertx = schema.vertx();
    db = schema.db();
    orders = new OrderRepository(new SagaConfig(Duration.ofSeconds(30)));
    OrderConsistency consistency = new OrderConsistency(db, orders);
    join(vertx.eventBus().<JsonObject>consumer(OrderAddresses.CONSISTENCY, m -> Replies.answer(m, consistency::handle))
        .completion());
  }


  @Test
  void reportsAnOrderStuckForDaysWhenNoWindowIsNamed() {
    UUID stuck = placedDaysAgo(3);
    UUID today = placedDaysAgo(0);

    JsonObject page = check(new JsonObject());

    assertThat(page.getJsonArray("orders").stream().map(o -> ((JsonObject) o).getString("orderId")))
        .containsExactlyInAnyOrder(stuck.toString(), today.toString());
    assertThat(page.getJsonArray("violations").stream().map(v -> ((JsonObject) v).getString("subject")))
        .containsExactly(stuck.toString());
  }

  @Test
  void looksOnlyAtTheWindowACallerNames() {
    placedDaysAgo(3);
    UUID today = placedDaysAgo(0);

    JsonObject page = check(new JsonObject().put("sinceMs", Duration.ofDays(1).toMillis()));

    assertThat(page.getJsonArray("orders").stream().map(o -> ((JsonObject) o).getString("orderId")))
        .containsExactly(today.toString());
    assertThat(page.getJsonArray("violations")).isEmpty();
  }

  @Test
  void aPageOfInFlightSagasSaysHowManyThereAreInAll() {
    UUID oldest = placedDaysAgo(3);
    UUID older = placedDaysAgo(2);
    placedDaysAgo(0);

    JsonObject page = join(orders.inFlight(db.pool(), false, 2));
    JsonObject stuck = join(orders.inFlight(db.pool(), true, 20));

    assertThat(page.getJsonArray("sagas").stream().map(o -> ((JsonObject) o).getString("orderId")))
        .containsExactly(oldest.toString(), older.toString());
    assertThat(page.getLong("total")).isEqualTo(3);
    assertThat(stuck.getJsonArray("sagas")).hasSize(2);
    assertThat(stuck.getLong("total")).isEqualTo(2);
    assertThat(join(orders.inFlight(db.pool(), true, 1)).getLong("total")).isEqualTo(2);
  }

  private JsonObject check(JsonObject query) {
    return join(vertx.eventBus().<JsonObject>request(OrderAddresses.CONSISTENCY, query)).body();
  }

  /** A PENDING order placed {@code days} ago, its deadline as long past as its placement. */
  private UUID placedDaysAgo(int days) {
    UUID orderId = UUID.randomUUID();
    EventEnvelope placed = EventEnvelope.wrap(new OrderPlaced(orderId, "alice", LINES), "order", "corr", null);
    join(orders.place(db.pool(), orderId, "alice", new PlaceOrderRequest("key-" + orderId, LINES), "corr", placed));
    join(db.pool().preparedQuery("UPDATE orders SET created_at = created_at - make_interval(days => $2), "
        + "deadline_at = deadline_at - make_interval(days => $2) WHERE id = $1").execute(
            io.vertx.sqlclient.Tuple.of(orderId, days)));
    return orderId;
  }
}
