package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A correlation id chosen by the client reaches the logs of every part that touches the request:
 * the gateway, and the order, inventory, user and notification services, as a field of the log
 * event (not just text in the message), together with the order id.
 */
class CorrelationLogsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> DEBUG_LOGGERS = List.of("io.ordermesh.gateway.access",
      "io.ordermesh.platform.inbox", "io.ordermesh.notification");

  private final TestWorld world = new TestWorld();
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private OrdermeshNode node;

  @BeforeEach
  void capture() {
    captured.start();
    DEBUG_LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.DEBUG));
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(captured);
    node = TestNodes.start(TestNodes.shared(), Service.all(), Optional.empty(), world.seed());
  }

  @AfterEach
  void release() {
    TestNodes.join(node.stop());
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(captured);
    DEBUG_LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(null));
  }

  @Test
  void theClientsCorrelationIdIsInTheLogsOfEveryServiceTheOrderTouched() {
    String correlationId = "trace-me-" + UUID.randomUUID();
    Api api = new Api(node.httpPort());
    api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/orders"))
        .header("Authorization", "Bearer " + TestWorld.token(world.rich))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .header("X-Correlation-ID", correlationId)
        .POST(HttpRequest.BodyPublishers.ofString(TestWorld.order(world.cheapSku, 1))));

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(servicesThatLogged(correlationId))
        .contains("gateway", "order", "inventory", "user", "notification"));
    assertThat(eventsWith(correlationId))
        .filteredOn(e -> !"gateway".equals(e.getMDCPropertyMap().get("service")))
        .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey("orderId"));
  }

  private Set<String> servicesThatLogged(String correlationId) {
    return eventsWith(correlationId).stream().map(e -> e.getMDCPropertyMap().get("service")).collect(Collectors.toSet());
  }

  private List<ILoggingEvent> eventsWith(String correlationId) {
    synchronized (captured) {
      return List.copyOf(captured.list).stream()
          .filter(e -> correlationId.equals(e.getMDCPropertyMap().get("correlationId"))).toList();
    }
  }
}
