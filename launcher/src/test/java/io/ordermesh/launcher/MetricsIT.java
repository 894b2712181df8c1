package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a few sagas, {@code /metrics} is Prometheus text with the Vert.x built-ins and Ordermesh's
 * own saga, outbox, inbox, breaker and rejection metrics, with values that match what happened.
 */
class MetricsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  @RegisterExtension
  static final WholeNode system = new WholeNode();
  private static final TestWorld world = system.world();

  @Test
  void exposesSagaOutboxInboxBreakerAndRejectionMetricsWithSensibleValues() {
    String token = TestWorld.token(world.rich);
    String confirmed = placed(token, world.cheapSku);
    String cancelled = placed(token, world.soldOutSku);
    awaitStatus(token, confirmed, "CONFIRMED");
    awaitStatus(token, cancelled, "CANCELLED");

    Map<String, Double> metrics = await().atMost(TIMEOUT).until(MetricsIT::scrape,
        m -> m.getOrDefault("ordermesh_inbox_events_processed_total{consumer=\"notification\"}", 0.0) >= 2);

    assertThat(metrics.get("ordermesh_saga_outcomes_total{reason=\"none\",status=\"CONFIRMED\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(metrics.get("ordermesh_saga_outcomes_total{reason=\"OUT_OF_STOCK\",status=\"CANCELLED\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(metrics.get("ordermesh_saga_duration_seconds_count{status=\"CONFIRMED\"}")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.get("ordermesh_outbox_publish_lag_seconds_count{schema=\"orders\"}")).isGreaterThanOrEqualTo(2);
    assertThat(metrics).containsKey("ordermesh_outbox_backlog{schema=\"inventory\"}");
    assertThat(metrics.get("ordermesh_inbox_events_processed_total{consumer=\"inventory\"}")).isGreaterThanOrEqualTo(2);
    assertThat(metrics).containsKey("ordermesh_inbox_duplicates_total{consumer=\"user\"}");
    assertThat(metrics.get("ordermesh_breaker_state{dependency=\"gateway->order\"}")).isEqualTo(0.0);
    assertThat(metrics.get("ordermesh_dependency_calls_total{dependency=\"gateway->order\"}")).isGreaterThanOrEqualTo(2);
    assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("ordermesh_bulkhead_rejections_total"));
    assertThat(metrics.get("ordermesh_consumer_lag{consumer=\"inventory\"}")).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(metrics.keySet()).as("HTTP metrics per route, as the dashboard reads them")
        .anyMatch(k -> k.startsWith("vertx_http_server_requests_total") && k.matches(".*route=\"([^\"]*>)?/api/v1/orders\".*"));
    assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("vertx_eventbus_"));
  }

  private static Map<String, Double> scrape() {
    var response = system.api().get(null, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> values = new HashMap<>();
    response.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(line -> {
      int split = line.lastIndexOf(' ');
      values.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
    });
    return values;
  }

  private static String placed(String token, String sku) {
    return new JsonObject(system.api().placeOrder(token, TestWorld.order(sku, 1)).body()).getString("orderId");
  }

  private static void awaitStatus(String token, String orderId, String status) {
    await().atMost(TIMEOUT).until(() -> system.api().getJson(token, "/api/v1/orders/" + orderId).getString("status"),
        status::equals);
  }
}
