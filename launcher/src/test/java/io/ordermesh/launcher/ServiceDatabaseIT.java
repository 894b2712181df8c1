package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.db.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service pointed at a database of its own ({@code --pg-service inventory=…}) keeps its schema, its
 * seed and its saga work there, and the saga runs across the two databases as it does in one.
 */
class ServiceDatabaseIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final TestWorld world = new TestWorld();
  private final Vertx vertx = Vertx.vertx();
  private final String ownDatabase = "inventory_" + UUID.randomUUID().toString().substring(0, 8);
  private OrdermeshNode node;

  @BeforeEach
  void createDatabase() {
    Database admin = Database.connect(vertx, TestInfra.shared().postgresUri().orElseThrow(), "public", 1);
    TestNodes.join(admin.pool().query("CREATE DATABASE " + ownDatabase).execute());
    TestNodes.join(admin.pool().close());
  }

  @AfterEach
  void stop() {
    if (node != null) {
      TestNodes.join(node.stop());
    }
    TestNodes.join(vertx.close());
  }

  @Test
  void inventoryKeepsItsStockInItsOwnDatabaseAndTheSagaRunsAcrossBoth() {
    OrdermeshConfig base = TestNodes.shared();
    String shared = base.postgres().uri();
    String own = shared.substring(0, shared.lastIndexOf('/') + 1) + ownDatabase;
    OrdermeshConfig config = new OrdermeshConfig(base.nodeId(), base.http(),
        new OrdermeshConfig.PostgresConfig(shared, Map.of("inventory", own), base.postgres().poolSize()),
        base.kafka(), base.saga(), base.auth(), base.bus(), base.outbox(), base.consumer(), base.notification(),
        base.gateway());
    node = TestNodes.start(config, Service.all(), Optional.empty(), world.seed());
    Api api = new Api(node.httpPort());
    String token = TestWorld.token(world.rich);

    String orderId = new JsonObject(api.placeOrder(token, TestWorld.order(world.cheapSku, 3)).body())
        .getString("orderId");

    await().atMost(TIMEOUT).until(() -> api.getJson(token, "/api/v1/orders/" + orderId).getString("status"),
        "CONFIRMED"::equals);
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(stock(own, world.cheapSku)).as("sold from the inventory's own database").isEqualTo("997/0/3"));
    assertThat(stock(shared, world.cheapSku)).as("the shared database holds none of this world's stock").isNull();
  }

  /** available/reserved/sold of a product in the inventory schema of the database at {@code uri}, or null. */
  private String stock(String uri, String sku) {
    Database db = Database.connect(vertx, uri, "inventory", 1);
    try {
      boolean hasSchema = TestNodes.join(db.pool().query("SELECT to_regclass('inventory.products') IS NOT NULL AS t")
          .execute()).iterator().next().getBoolean("t");
      if (!hasSchema) {
        return null;
      }
      var rows = TestNodes.join(db.pool().preparedQuery("SELECT available, reserved, sold FROM products WHERE sku = $1")
          .execute(Tuple.of(sku)));
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return r.getInteger("available") + "/" + r.getInteger("reserved") + "/" + r.getInteger("sold");
    } finally {
      TestNodes.join(db.pool().close());
    }
  }
}
