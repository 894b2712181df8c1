package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Topics;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The saga deadline: an order nobody answers is cancelled with TIMEOUT exactly once, however many
 * order services race for it, and a deadline that passes while the service is down still fires
 * after it comes back. (Inventory is left out on purpose so that nobody answers.)
 */
class DeadlineIT {

  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int ORDERS = 20;

  private final TestWorld world = new TestWorld();
  private final List<OrdermeshNode> nodes = new ArrayList<>();

  @AfterEach
  void drainAndStop() {
    nodes.forEach(n -> TestNodes.join(n.stop()));
    // A full node lets inventory catch up on this test's orders (reserve, then release) before others run.
    OrdermeshNode full = TestNodes.start(TestNodes.shared(), Service.all(), Optional.empty(), world.seed());
    Api api = new Api(full.httpPort());
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(api.consistency(world.rich, world.careful, world.poor).getBoolean("ok")).isTrue());
    TestNodes.join(full.stop());
  }

  @Test
  void twoOrderServicesTimeOutEachOverdueOrderExactlyOnce() {
    OrdermeshConfig config = TestNodes.withDeadline(TestNodes.shared(), DEADLINE);
    OrdermeshNode first = start(config, EnumSet.of(Service.ORDER, Service.USER, Service.NOTIFICATION, Service.GATEWAY));
    start(TestNodes.withDeadline(TestNodes.shared(), DEADLINE), EnumSet.of(Service.ORDER));
    Api api = new Api(first.httpPort());
    String token = TestWorld.token(world.rich);

    List<String> orderIds = IntStream.range(0, ORDERS)
        .mapToObj(i -> new JsonObject(api.placeOrder(token, TestWorld.order(world.cheapSku, 1)).body()).getString("orderId"))
        .toList();

    for (String orderId : orderIds) {
      JsonObject order = await().atMost(TIMEOUT)
          .until(() -> api.getJson(token, "/api/v1/orders/" + orderId), o -> "CANCELLED".equals(o.getString("status")));
      assertThat(order.getString("reason")).isEqualTo("TIMEOUT");
      assertThat(order.getJsonArray("history").stream()
          .filter(h -> "CANCELLED".equals(((JsonObject) h).getString("status")))).hasSize(1);
    }
    Map<String, Integer> cancellations = cancellationsPublished(Set.copyOf(orderIds));
    assertThat(cancellations).hasSize(ORDERS).allSatisfy((order, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void aDeadlineThatPassesWhileTheOrderServiceIsDownFiresWhenItIsBack() {
    OrdermeshConfig config = TestNodes.withDeadline(TestNodes.shared(), DEADLINE);
    var services = EnumSet.of(Service.ORDER, Service.USER, Service.NOTIFICATION, Service.GATEWAY);
    OrdermeshNode node = TestNodes.startUnchecked(config, services, Optional.empty(), world.seed());
    String token = TestWorld.token(world.careful);
    Api before = new Api(node.httpPort());
    String orderId = new JsonObject(before.placeOrder(token, TestWorld.order(world.cheapSku, 1)).body())
        .getString("orderId");
    assertThat(before.getJson(token, "/api/v1/orders/" + orderId).getString("status")).isEqualTo("PENDING");
    TestNodes.join(node.stop());

    OrdermeshNode back = start(config, services);
    Api api = new Api(back.httpPort());

    JsonObject order = await().atMost(TIMEOUT)
        .until(() -> api.getJson(token, "/api/v1/orders/" + orderId), o -> "CANCELLED".equals(o.getString("status")));
    assertThat(order.getString("reason")).isEqualTo("TIMEOUT");
  }

  @Test
  void listsInFlightSagasOldestFirstAndOnlyOverdueOnesWhenAskedForStuck() {
    OrdermeshNode node = start(TestNodes.shared(), EnumSet.of(Service.ORDER, Service.USER, Service.NOTIFICATION,
        Service.GATEWAY));
    Api api = new Api(node.httpPort());
    String token = TestWorld.token(world.rich);
    List<String> placed = IntStream.range(0, 3)
        .mapToObj(i -> new JsonObject(api.placeOrder(token, TestWorld.order(world.cheapSku, 1)).body()).getString("orderId"))
        .toList();
    String admin = TestWorld.token("sagas-admin", "admin");

    JsonObject page = api.getJson(admin, "/admin/sagas?limit=100");
    List<JsonObject> sagas = page.getJsonArray("sagas").stream()
        .map(JsonObject.class::cast).filter(s -> placed.contains(s.getString("orderId"))).toList();

    assertThat(sagas).extracting(s -> s.getString("orderId")).containsExactlyElementsOf(placed);
    assertThat(sagas).extracting(s -> s.getLong("ageMs")).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    JsonObject first = api.getJson(admin, "/admin/sagas?limit=1");
    assertThat(first.getJsonArray("sagas")).hasSize(1);
    assertThat(first.getLong("total")).as("a page of one says there are more").isGreaterThanOrEqualTo(placed.size());
    assertThat(api.getJson(admin, "/admin/sagas?stuck=true").getJsonArray("sagas").stream()
        .map(s -> ((JsonObject) s).getString("orderId"))).doesNotContainAnyElementsOf(placed);
    assertThat(api.get(token, "/admin/sagas").statusCode()).isEqualTo(403);
  }

  private OrdermeshNode start(OrdermeshConfig config, Set<Service> services) {
    OrdermeshNode node = TestNodes.startUnchecked(config, services, Optional.empty(), world.seed());
    nodes.add(node);
    return node;
  }

  /** How many OrderCancelled events were published per order, read back from Kafka. */
  private static Map<String, Integer> cancellationsPublished(Set<String> orderIds) {
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", TestInfra.shared().kafkaBootstrap().orElseThrow(),
        "group.id", "deadline-reader-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.ORDERS));
      await().atMost(TIMEOUT).until(() -> {
        countCancellations(consumer.poll(Duration.ofMillis(200)), orderIds, counts);
        return counts.size() == orderIds.size();
      });
      // Anything published twice would be right behind the first copy; read a little further to see it.
      countCancellations(consumer.poll(Duration.ofMillis(500)), orderIds, counts);
    }
    return counts;
  }

  private static void countCancellations(ConsumerRecords<String, String> records, Set<String> orderIds,
      Map<String, Integer> counts) {
    records.forEach(r -> {
      var type = r.headers().lastHeader(EventHeaders.TYPE);
      if (orderIds.contains(r.key()) && type != null
          && EventType.ORDER_CANCELLED.wireName().equals(new String(type.value(), StandardCharsets.UTF_8))) {
        counts.merge(r.key(), 1, Integer::sum);
      }
    });
  }
}
