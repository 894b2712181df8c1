package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.launcher.node.ClusterSettings;
import io.ordermesh.launcher.node.NodeSettings;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.service.ClusterView;
import io.ordermesh.platform.service.ServiceHealth;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's own readiness (its management port's {@code /health/ready}, and the node-local health
 * address): not ready while it starts, ready once it is a member of the cluster and the cluster's
 * subscription map lists it for every address its services answer on, and not ready again as soon
 * as the cluster loses one of those registrations, whatever the node's own handlers say.
 */
class NodeReadinessIT {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private OrdermeshNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      TestNodes.join(node.stop());
    }
  }

  @Test
  void readyOnlyAsAMemberWhoseAddressesTheClusterLists() {
    int clusterPort = TestInfra.freePort();
    int managementPort = TestInfra.freePort();
    NodeSettings settings = new NodeSettings(TestNodes.shared(), Set.of(Service.USER),
        Optional.of(new ClusterSettings(null, "ready-" + clusterPort, "127.0.0.1", clusterPort, List.of(), null, 0)),
        new TestWorld().seed(), managementPort, NodeSettings.DEFAULT_REDACTED);
    Api management = new Api(managementPort);
    List<Integer> whileStarting = new CopyOnWriteArrayList<>();

    Future<OrdermeshNode> starting = OrdermeshNode.start(settings);
    // Polled often: on a quick machine the service is up within a few tens of milliseconds of the
    // management port, and a 50 ms poll once saw only the "ready" that came after.
    await().atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
      status(management).ifPresent(whileStarting::add);
      return starting.isComplete();
    });
    node = TestNodes.join(starting);

    // Its first answers (the management port is up before the services) are "not ready". (Later ones
    // may flap while Kafka rebalances: readiness includes holding partitions.)
    assertThat(whileStarting).as("readiness while the node started").isNotEmpty().first().isEqualTo(503);
    JsonObject ready = await().atMost(START_TIMEOUT).until(() -> readiness(management),
        r -> "UP".equals(r.getString("status")));
    assertThat(ready.getJsonObject("cluster").getBoolean("member")).isTrue();
    JsonObject users = ready.getJsonArray("services").getJsonObject(0);
    assertThat(users.getString("service")).isEqualTo("user");
    assertThat(users.getBoolean("registered")).isTrue();
    assertThat(localReadiness().getString("status")).as("the node-local health address").isEqualTo("UP");

    // The cluster forgets one registration, while the handler on this node is still there.
    TestNodes.join(ClusterView.of(node.vertx()).withdraw(UserAddresses.GET));

    JsonObject notReady = await().atMost(Duration.ofSeconds(10)).until(() -> readiness(management),
        r -> "DOWN".equals(r.getString("status")));
    assertThat(notReady.getJsonArray("services").getJsonObject(0).getJsonArray("unregistered").getList())
        .containsExactly(UserAddresses.GET);
    assertThat(localReadiness().getString("status")).isEqualTo("DOWN");
  }

  private JsonObject localReadiness() {
    return TestNodes.join(node.vertx().eventBus().<JsonObject>request(ServiceHealth.NODE, null,
        new DeliveryOptions().setLocalOnly(true))).body();
  }

  private static JsonObject readiness(Api management) {
    return new JsonObject(management.get(null, "/health/ready").body());
  }

  /** The readiness status code, or empty while the management port does not listen yet. */
  private static Optional<Integer> status(Api management) {
    try {
      HttpResponse<String> response = management.get(null, "/health/ready");
      return Optional.of(response.statusCode());
    } catch (RuntimeException notListening) {
      return Optional.empty();
    }
  }
}
