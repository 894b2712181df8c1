package io.ordermesh.inventory.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.events.order.OrderPlaced;
import io.ordermesh.platform.db.Database;
import io.ordermesh.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the inventory consumer locks before its handlers run, seen from another connection on real
 * PostgreSQL: every product the transaction's events will move, and nothing else, so two nodes'
 * transactions take their products in one order and cannot deadlock.
 */
class StockLockAheadTest {

  private static final BigDecimal PRICE = new BigDecimal("1.00");
  private static final List<String> SKUS = List.of("SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5");
  private static final String LOCKED_NOWAIT = "SELECT sku FROM products WHERE sku = $1 FOR UPDATE NOWAIT";
  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final String WAITING_FOR_A_LOCK = "SELECT count(*) AS n FROM pg_stat_activity"
      + " WHERE datname = current_database() AND wait_event_type = 'Lock'";

  private Vertx vertx;
  private Database db;
  private StockEventHandlers handlers;

  @BeforeEach
  void migrate() {
    vertx = Vertx.vertx();
    db = TestPostgres.migratedSchema(vertx, "inventory", "db/inventory");
    handlers = new StockEventHandlers(new InventoryRepository());
    JsonArray products = new JsonArray();
    SKUS.forEach(sku -> products.add(new JsonObject().put("sku", sku).put("name", sku)
        .put("price", PRICE.toPlainString()).put("stock", 10)));
    join(new InventoryRepository().seed(db.pool(), new JsonObject().put("products", products)));
  }

  @AfterEach
  void close() {
    join(vertx.close());
  }

  @Test
  void locksThePlacedSkusAndWhatTheSettledOrdersHoldBeforeAnyHandlerRuns() {
    EventEnvelope reserved = placed("SKU-3", 2);
    EventEnvelope sold = placed("SKU-4", 1);
    apply(reserved);
    apply(sold);
    apply(confirmed(sold));

    Set<String> locked = lockedWhileLockingAheadFor(List.of(placed("SKU-1", 1), cancelled(reserved), cancelled(sold)));

    assertThat(locked).containsExactly("SKU-1", "SKU-3", "SKU-4");
  }

  @Test
  void leavesALonePlacementToItsOwnStatementWhichLocksInSkuOrderAlready() {
    assertThat(lockedWhileLockingAheadFor(List.of(placed("SKU-2", 1, "SKU-1", 1)))).isEmpty();
  }

  @Test
  void takesTheProductsInSkuOrderSoWhileItWaitsItHoldsNoneAfterTheOneItWaitsFor() {
    // An update writes a new row version at the heap's end: a scan now meets SKU-1 last, not first.
    join(db.pool().query("UPDATE products SET name = name WHERE sku = 'SKU-1'").execute());
    Database otherNode = Database.connect(vertx, TestPostgres.uri(), db.schema(), 2);
    SqlConnection holder = join(otherNode.pool().getConnection());
    Transaction held = join(holder.begin());
    join(holder.query("SELECT sku FROM products WHERE sku = 'SKU-3' FOR UPDATE").execute());

    Future<Void> locking = db.pool().withTransaction(tx ->
        handlers.lockAhead().lock(tx, List.of(placed("SKU-5", 1, "SKU-1", 1), placed("SKU-3", 1))));
    await().atMost(Duration.ofSeconds(30)).until(() -> join(otherNode.pool().query(WAITING_FOR_A_LOCK).execute())
        .iterator().next().getLong("n") == 1);

    assertThat(join(lockedProducts())).as("SKU-1 taken, waiting for SKU-3, SKU-5 not reached")
        .containsExactly("SKU-1", "SKU-3");
    join(held.commit().eventually(holder::close));
    join(locking);
  }

  /** Runs the lock-ahead in a transaction and, while it is open, answers which products another connection finds locked. */
  private Set<String> lockedWhileLockingAheadFor(List<EventEnvelope> events) {
    return join(db.pool().withTransaction(tx -> handlers.lockAhead().lock(tx, events).compose(v -> lockedProducts())));
  }

  private Future<Set<String>> lockedProducts() {
    Set<String> locked = new TreeSet<>();
    Future<Void> probes = Future.succeededFuture();
    for (String sku : SKUS) {
      probes = probes.compose(v -> db.pool().preparedQuery(LOCKED_NOWAIT).execute(Tuple.of(sku))
          .<Void>mapEmpty()
          .recover(error -> {
            if (error instanceof DatabaseException database && LOCK_NOT_AVAILABLE.equals(database.getSqlState())) {
              locked.add(sku);
              return Future.succeededFuture();
            }
            return Future.failedFuture(error);
          }));
    }
    return probes.map(locked);
  }

  private void apply(EventEnvelope event) {
    join(db.pool().withTransaction(tx -> handlers.handlers().get(event.type()).handle(tx, event)));
  }

  private static EventEnvelope placed(Object... skusAndQuantities) {
    List<OrderLine> lines = new ArrayList<>();
    for (int i = 0; i < skusAndQuantities.length; i += 2) {
      lines.add(new OrderLine((String) skusAndQuantities[i], (Integer) skusAndQuantities[i + 1]));
    }
    return EventEnvelope.wrap(new OrderPlaced(UUID.randomUUID(), "alice", lines), "order", "corr", null);
  }

  private static EventEnvelope confirmed(EventEnvelope placed) {
    OrderPlaced order = OrderPlaced.fromJson(placed.data());
    List<PricedLine> priced = order.lines().stream().map(l -> new PricedLine(l.sku(), l.quantity(), PRICE)).toList();
    return EventEnvelope.wrap(new OrderConfirmed(order.orderId(), order.customerId(), priced, PricedLine.total(priced)),
        "order", "corr", null);
  }

  private static EventEnvelope cancelled(EventEnvelope placed) {
    OrderPlaced order = OrderPlaced.fromJson(placed.data());
    return EventEnvelope.wrap(new OrderCancelled(order.orderId(), order.customerId(), CancellationReason.TIMEOUT),
        "order", "corr", null);
  }
}
