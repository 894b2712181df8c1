package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.bus.BusHeaders;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sniffer sees traffic and takes none of it: with a point-to-point consumer on an address and a
 * sniffer attached, every message still reaches the consumer exactly once, and the sniffer saw each
 * request and its reply (with latency); a saga's own requests carry their correlation id.
 */
class SnifferIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String TARGET = "test.sniff.target";
  private static final int MESSAGES = 50;

  private final TestWorld world = new TestWorld();
  private final List<JsonObject> seen = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private OrdermeshNode node;
  private Thread reader;

  @BeforeEach
  void start() {
    node = TestNodes.start(TestNodes.shared(), Service.all(), Optional.empty(), world.seed());
  }

  @AfterEach
  void stop() {
    if (reader != null) {
      reader.interrupt();
    }
    TestNodes.join(node.stop());
  }

  @Test
  void aSnifferSeesEveryRequestAndReplyAndStealsNone() {
    TestNodes.join(node.vertx().eventBus().<JsonObject>consumer(TARGET, m -> {
      received.computeIfAbsent(m.body().getString("id"), id -> new AtomicInteger()).incrementAndGet();
      m.reply(new JsonObject().put("ok", true));
    }).completion());
    attach("?address=test.sniff.*");
    await().atMost(TIMEOUT).until(() -> {
      request("probe-" + UUID.randomUUID());
      return seen.stream().anyMatch(s -> s.getString("preview", "").contains("probe-"));
    });
    received.clear();

    List<String> ids = Stream.generate(() -> UUID.randomUUID().toString()).limit(MESSAGES).toList();
    ids.forEach(this::request);

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(received.keySet()).containsAll(ids);
      assertThat(ids).allSatisfy(id -> assertThat(received.get(id).get()).as("delivered once").isEqualTo(1));
      assertThat(ids).allSatisfy(id -> assertThat(seen).anySatisfy(s -> {
        assertThat(s.getString("kind")).isEqualTo("request");
        assertThat(s.getString("preview")).contains(id);
      }));
      assertThat(seen.stream().filter(s -> "reply".equals(s.getString("kind")))).hasSizeGreaterThanOrEqualTo(MESSAGES)
          .allSatisfy(s -> assertThat(s.getDouble("latencyMs")).isNotNull());
    });
  }

  @Test
  void filtersByCorrelationIdAndRedactsPersonalData() {
    String correlationId = "sniff-" + UUID.randomUUID();
    attach("?correlation=" + correlationId);
    Api api = new Api(node.httpPort());
    await().atMost(TIMEOUT).until(() -> {
      api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/users/me"))
          .header("Authorization", "Bearer " + TestWorld.token(world.rich)).header("X-Correlation-ID", correlationId)
          .GET());
      return seen.stream().anyMatch(s -> "reply".equals(s.getString("kind")));
    });

    assertThat(seen).allSatisfy(s -> assertThat(s.getString("correlationId")).isEqualTo(correlationId));
    assertThat(seen).anySatisfy(s -> assertThat(s.getString("address")).isEqualTo("users.get"));
    assertThat(seen).filteredOn(s -> "reply".equals(s.getString("kind")) && "users.get".equals(s.getString("address")))
        .as("the customer's profile as the sniffer shows it: the customer, the email redacted")
        .isNotEmpty().allSatisfy(s -> assertThat(s.getString("preview")).contains(world.rich)
            .contains("\"email\":\"***\"").doesNotContain("@test.invalid"));
  }

  private void request(String id) {
    node.vertx().eventBus().request(TARGET, new JsonObject().put("id", id),
        new DeliveryOptions().addHeader(BusHeaders.CORRELATION_ID, "sniff-test"));
  }

  /** Reads the SSE stream on a thread of its own, keeping every message event. */
  private void attach(String query) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/admin/sniff"
        + query)).header("Authorization", "Bearer " + TestWorld.token("sniff-admin", "admin")).GET().build();
    reader = new Thread(() -> {
      try {
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines()).body()
            .filter(line -> line.startsWith("data: "))
            .forEach(line -> seen.add(new JsonObject(line.substring("data: ".length()))));
      } catch (Exception e) {
        // the stream ends when the node stops
      }
    }, "sniff-reader");
    reader.setDaemon(true);
    reader.start();
  }
}
