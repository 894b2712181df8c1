package io.ordermesh.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.platform.config.OrdermeshConfig.NotificationConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in mailbox: where it listens, and where the notification service finds it. */
class NotificationConfigTest {

  @Test
  void listensOnLoopbackUnlessToldAndIsReachedWhereItListens() {
    assertThat(NotificationConfig.localMailbox(8025).mailboxHost()).isEqualTo("127.0.0.1");
    assertThat(NotificationConfig.localMailbox(8025).providerUrl()).isEqualTo("http://127.0.0.1:8025/messages");
    assertThat(NotificationConfig.localMailbox("0.0.0.0", 8025).providerUrl())
        .as("every interface includes loopback").isEqualTo("http://127.0.0.1:8025/messages");
    assertThat(NotificationConfig.localMailbox("10.0.0.3", 8025).providerUrl()).isEqualTo("http://10.0.0.3:8025/messages");
    assertThat(NotificationConfig.localMailbox("fd00::3", 8025).providerUrl()).isEqualTo("http://[fd00::3]:8025/messages");
  }

  @Test
  void keepsTheMailboxHostThroughTheDeploymentConfig() {
    NotificationConfig everywhere = NotificationConfig.localMailbox("0.0.0.0", 8025);
    OrdermeshConfig config = OrdermeshConfig.fromJson(withNotification(everywhere).toJson());

    assertThat(config.notification().mailboxHost()).isEqualTo("0.0.0.0");
  }

  private static OrdermeshConfig withNotification(NotificationConfig notification) {
    return new OrdermeshConfig("node", new OrdermeshConfig.HttpConfig("0.0.0.0", 8080, 65_536),
        new OrdermeshConfig.PostgresConfig("postgres://u:p@db:5432/om", Map.of(), 4),
        new OrdermeshConfig.KafkaConfig("kafka:9092", 1, 2), new OrdermeshConfig.SagaConfig(Duration.ofSeconds(30)),
        new OrdermeshConfig.AuthConfig("a-test-secret-long-enough-for-hs256-0123456789", Duration.ofHours(1)),
        new OrdermeshConfig.BusConfig(Duration.ofSeconds(2)),
        new OrdermeshConfig.OutboxConfig(Duration.ofMillis(100), 100, Duration.ofSeconds(1)),
        new OrdermeshConfig.ConsumerConfig(Duration.ofMillis(100), 3, Duration.ofMillis(10)), notification,
        OrdermeshConfig.GatewayConfig.defaults());
  }
}
