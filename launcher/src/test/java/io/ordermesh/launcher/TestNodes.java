package io.ordermesh.launcher;

import io.ordermesh.launcher.node.ClusterSettings;
import io.ordermesh.launcher.node.NodeSettings;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Starts and stops nodes for tests the way the launcher does, on a free HTTP port. */
public final class TestNodes {

  public static final String TEST_SECRET = "test-secret-" + UUID.randomUUID();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private TestNodes() {
  }

  public static OrdermeshConfig config(String pgUri, String kafka) {
    return new OrdermeshConfig(
        "test-" + UUID.randomUUID().toString().substring(0, 8),
        new OrdermeshConfig.HttpConfig("127.0.0.1", 0, Defaults.HTTP_BODY_LIMIT_BYTES),
        new OrdermeshConfig.PostgresConfig(pgUri, Map.of(), 4),
        new OrdermeshConfig.KafkaConfig(kafka, Defaults.KAFKA_LINGER_MS, Defaults.KAFKA_PARTITIONS),
        new OrdermeshConfig.SagaConfig(Defaults.SAGA_DEADLINE),
        new OrdermeshConfig.AuthConfig(TEST_SECRET, Defaults.TOKEN_TTL),
        new OrdermeshConfig.BusConfig(Defaults.BUS_REQUEST_TIMEOUT),
        new OrdermeshConfig.OutboxConfig(Defaults.OUTBOX_POLL_INTERVAL, Defaults.OUTBOX_BATCH_SIZE,
            Duration.ofMillis(500)),
        new OrdermeshConfig.ConsumerConfig(Duration.ofMillis(100), Defaults.CONSUMER_MAX_ATTEMPTS,
            Defaults.CONSUMER_RETRY_BACKOFF),
        OrdermeshConfig.NotificationConfig.localMailbox(TestInfra.freePort()),
        OrdermeshConfig.GatewayConfig.defaults());
  }

  public static OrdermeshNode start(OrdermeshConfig config, Set<Service> services, Optional<ClusterSettings> cluster,
      JsonObject seed) {
    OrdermeshNode node = startUnchecked(config, services, cluster, seed);
    join(node.awaitReady(START_TIMEOUT));
    return node;
  }

  /** Starts a node without waiting for the whole system to be ready (for nodes that run only part of it). */
  public static OrdermeshNode startUnchecked(OrdermeshConfig config, Set<Service> services,
      Optional<ClusterSettings> cluster, JsonObject seed) {
    return join(OrdermeshNode.start(new NodeSettings(config, services, cluster, seed)));
  }

  /** The same config with another saga deadline. */
  public static OrdermeshConfig withDeadline(OrdermeshConfig c, Duration deadline) {
    return new OrdermeshConfig(c.nodeId(), c.http(), c.postgres(), c.kafka(), new OrdermeshConfig.SagaConfig(deadline),
        c.auth(), c.bus(), c.outbox(), c.consumer(), c.notification(), c.gateway());
  }

  public static OrdermeshConfig shared() {
    EmbeddedInfra infra = TestInfra.shared();
    return config(infra.postgresUri().orElseThrow(), infra.kafkaBootstrap().orElseThrow());
  }

  public static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
