package io.ordermesh.inventory.internal;

import static io.ordermesh.inventory.internal.OrderEvents.cancelled;
import static io.ordermesh.inventory.internal.OrderEvents.placed;
import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.platform.db.Database;
import io.ordermesh.testing.RowLocks;
import io.ordermesh.testing.MigratedSchema;
import io.ordermesh.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the inventory consumer locks before its handlers run, seen from another connection on real
 * PostgreSQL: every product the transaction's events will move, and nothing else, so two nodes'
 * transactions take their products in one order and cannot deadlock.
 */
class StockLockAheadTest {

  private static final BigDecimal PRICE = new BigDecimal("1.00");
  private static final List<String> SKUS = List.of("SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5");
  private static final String LOCKED_NOWAIT = "SELECT sku FROM products WHERE sku = $1 FOR UPDATE NOWAIT";

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
    JsonArray products = new JsonArray();
    SKUS.forEach(sku -> products.add(new JsonObject().put("sku", sku).put("name", sku)
        .put("price", PRICE.toPlainString()).put("stock", 10)));
    join(new InventoryRepository().seed(db.pool(), new JsonObject().put("products", products)));
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
    await().atMost(Duration.ofSeconds(30)).until(() -> RowLocks.waiting(otherNode.pool()) == 1);

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
    return RowLocks.heldAmong(db.pool(), LOCKED_NOWAIT, SKUS);
  }

  private void apply(EventEnvelope event) {
    join(db.pool().withTransaction(tx -> handlers.handlers().get(event.type()).handle(tx, event)));
  }

  private static EventEnvelope confirmed(EventEnvelope placed) {
    return OrderEvents.confirmed(placed, PRICE);
  }
}
