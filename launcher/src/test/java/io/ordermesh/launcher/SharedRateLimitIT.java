package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.ClusterSettings;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two clustered gateway nodes enforce one limit per principal: what a principal spends on one node
 * is spent on the other, so spreading requests over gateways does not multiply the limit.
 */
class SharedRateLimitIT {

  private static final int RATE = 1;
  private static final int BURST = 3;
  private static final int PORT_ATTEMPTS = 3;
  private static final Duration SHARE_INTERVAL = Duration.ofMillis(50);
  /** Longer than a share interval, so that each request at the second node comes after a share. */
  private static final Duration BETWEEN_REQUESTS = Duration.ofMillis(150);

  private final TestWorld world = new TestWorld();
  private OrdermeshNode first;
  private OrdermeshNode second;

  @AfterEach
  void stopNodes() {
    for (OrdermeshNode node : new OrdermeshNode[] {second, first}) {
      if (node != null) {
        TestNodes.join(node.stop());
      }
    }
  }

  @Test
  void aPrincipalThatSpentItsBurstOnOneGatewayIsLimitedOnTheOther() {
    startTwoGateways();
    Api viaFirst = new Api(first.httpPort());
    Api viaSecond = new Api(second.httpPort());
    // Until the second node's subscription has reached the first, nothing is shared: wait for it with
    // another principal, so that the principal under test starts on a cluster that has formed.
    String probe = TestWorld.token("probe-" + UUID.randomUUID());
    spendBurst(viaFirst, probe);
    await().atMost(Duration.ofSeconds(30)).until(() -> viaSecond.get(probe, "/api/v1/users/me").statusCode() == 429);

    String token = TestWorld.token(world.rich);
    spendBurst(viaFirst, token);
    int allowedOnSecond = requestsAllowedUntilLimited(viaSecond, token);

    // Unshared buckets would let the second node grant a whole burst of its own. One request may pass
    // before the first node's share arrives (every 50 ms), one more if a slow machine delays it.
    assertThat(allowedOnSecond).as("requests the second gateway let through after the burst was spent")
        .isLessThan(BURST);
  }

  /**
   * A probed free port can be taken (as some connection's ephemeral port) before Hazelcast binds it:
   * then both nodes start again on new ports, a bounded number of times.
   */
  private void startTwoGateways() {
    for (int attempt = 1; ; attempt++) {
      int firstPort = TestInfra.freePort();
      int secondPort = TestInfra.freePort();
      String cluster = "ratelimit-" + firstPort;
      List<String> members = List.of("127.0.0.1:" + firstPort, "127.0.0.1:" + secondPort);
      try {
        first = TestNodes.startUnchecked(limited(), Set.of(Service.GATEWAY, Service.USER),
            Optional.of(new ClusterSettings(null, cluster, "127.0.0.1", firstPort, members, null, 0)), world.seed());
        second = TestNodes.startUnchecked(limited(), Set.of(Service.GATEWAY),
            Optional.of(new ClusterSettings(null, cluster, "127.0.0.1", secondPort, members, null, 0)),
            new JsonObject());
        return;
      } catch (IllegalStateException e) {
        if (attempt == PORT_ATTEMPTS || !String.valueOf(e.getMessage()).contains("already in use")) {
          throw e;
        }
        stopNodes();
        first = null;
        second = null;
      }
    }
  }

  private static void spendBurst(Api api, String token) {
    for (int i = 0; i < BURST; i++) {
      assertThat(api.get(token, "/api/v1/users/me").statusCode()).isNotEqualTo(429);
    }
  }

  private static int requestsAllowedUntilLimited(Api api, String token) {
    AtomicInteger allowed = new AtomicInteger();
    await().pollDelay(Duration.ZERO).pollInterval(BETWEEN_REQUESTS).atMost(Duration.ofSeconds(5)).until(() -> {
      boolean limited = api.get(token, "/api/v1/users/me").statusCode() == 429;
      if (!limited) {
        allowed.incrementAndGet();
      }
      return limited;
    });
    return allowed.get();
  }

  private static OrdermeshConfig limited() {
    OrdermeshConfig c = TestNodes.shared();
    GatewayConfig defaults = GatewayConfig.defaults();
    return new OrdermeshConfig("ratelimit-" + UUID.randomUUID().toString().substring(0, 8), c.http(), c.postgres(),
        c.kafka(), c.saga(), c.auth(), c.bus(), c.outbox(), c.consumer(), c.notification(),
        new GatewayConfig(RATE, BURST, SHARE_INTERVAL, defaults.services(), defaults.overrides()));
  }
}
