package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A home's embedded PostgreSQL and Kafka keep everything across a stop and a start: orders, their
 * state, stock, and the saga keeps working afterwards.
 */
class RestartKeepsOrdersIT {

  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void ordersSurviveAStopAndAStartOnTheSameHome() {
    Home home = new Home(TestInfra.newHome("ordermesh-restart"));
    EmbeddedInfra.Ports ports = new EmbeddedInfra.Ports(TestInfra.freePort(), TestInfra.freePort(), TestInfra.freePort());
    TestWorld world = new TestWorld();
    String token = TestWorld.token(world.rich);

    String firstOrder;
    try (Running running = Running.start(home, ports, world)) {
      firstOrder = placeAndAwaitConfirmed(running.api, token, world.cheapSku);
    }

    try (Running running = Running.start(home, ports, world)) {
      JsonObject survived = running.api.getJson(token, "/api/v1/orders/" + firstOrder);
      assertThat(survived.getString("status")).isEqualTo("CONFIRMED");
      assertThat(survived.getString("total")).isEqualTo("29.97");
      assertThat(running.api.getJson(token, "/api/v1/products/" + world.cheapSku).getInteger("available"))
          .as("stock sold before the restart stays sold, and the seed does not reset it")
          .isEqualTo(997);

      String secondOrder = placeAndAwaitConfirmed(running.api, token, world.cheapSku);
      assertThat(secondOrder).isNotEqualTo(firstOrder);
    }
  }

  private static String placeAndAwaitConfirmed(Api api, String token, String sku) {
    String orderId = new JsonObject(api.placeOrder(token, TestWorld.order(sku, 3)).body()).getString("orderId");
    await().atMost(SAGA_TIMEOUT).untilAsserted(() ->
        assertThat(api.getJson(token, "/api/v1/orders/" + orderId).getString("status")).isEqualTo("CONFIRMED"));
    return orderId;
  }

  /** Infra and node of one home, stopped in order. */
  private record Running(EmbeddedInfra infra, OrdermeshNode node, Api api) implements AutoCloseable {

    static Running start(Home home, EmbeddedInfra.Ports ports, TestWorld world) {
      EmbeddedInfra infra = EmbeddedInfra.start(home, ports, true, true, 2);
      OrdermeshNode node = TestNodes.start(
          TestNodes.config(infra.postgresUri().orElseThrow(), infra.kafkaBootstrap().orElseThrow()),
          Service.all(), Optional.empty(), world.seed());
      return new Running(infra, node, new Api(node.httpPort()));
    }

    @Override
    public void close() {
      try {
        TestNodes.join(node.stop());
      } finally {
        infra.close();
      }
    }
  }
}
