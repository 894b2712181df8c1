package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Topics;
import io.ordermesh.platform.service.ServiceHealth;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every record of a run delivered a second time changes nothing: the same order states, stock,
 * credit and notifications, no new events; every copy is counted as a duplicate by each consumer
 * that handles its type.
 */
class RedeliveryIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(40);
  /** Which consumer groups handle each event type: each counts one duplicate per re-published copy. */
  private static final Map<EventType, Integer> HANDLERS = Map.of(
      EventType.ORDER_PLACED, 1, EventType.ORDER_CONFIRMED, 3, EventType.ORDER_CANCELLED, 3,
      EventType.STOCK_RESERVED, 2, EventType.STOCK_REJECTED, 1, EventType.STOCK_RELEASED, 0,
      EventType.CREDIT_RESERVED, 1, EventType.CREDIT_REJECTED, 1, EventType.CREDIT_RELEASED, 0);
  private static final List<String> SERVICES = List.of("order", "inventory", "user", "notification");

  @RegisterExtension
  static final WholeNode system = new WholeNode();
  private static final TestWorld world = system.world();

  @Test
  void deliveringEveryRecordOfARunTwiceChangesNothing() {
    List<String> orders = runWorkload();
    Snapshot before = snapshot(orders);
    List<ConsumerRecord<String, String>> records = recordsOf(Set.copyOf(orders), 0);
    long duplicatesBefore = totalDuplicates();
    int expectedDuplicates = records.stream().mapToInt(r -> HANDLERS.get(typeOf(r))).sum();

    republish(records);

    await().atMost(TIMEOUT).until(() -> totalDuplicates() - duplicatesBefore >= expectedDuplicates);
    assertThat(totalDuplicates() - duplicatesBefore).isEqualTo(expectedDuplicates);
    assertThat(snapshot(orders)).isEqualTo(before);
    assertThat(recordsOf(Set.copyOf(orders), records.size() * 2)).as("no new events, only the copies")
        .hasSize(records.size() * 2);
    assertThat(system.api().consistency(world.rich, world.careful, world.poor).getBoolean("ok")).isTrue();
  }

  /** Confirmed, out of stock, credit refused, and cancelled after confirmation: every event type. */
  private static List<String> runWorkload() {
    String rich = TestWorld.token(world.rich);
    String poor = TestWorld.token(world.poor);
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      orders.add(place(rich, world.cheapSku));
      orders.add(place(rich, world.soldOutSku));
      orders.add(place(poor, world.priceySku));
    }
    String cancelled = place(TestWorld.token(world.careful), world.cheapSku);
    orders.add(cancelled);
    await().atMost(TIMEOUT).until(() -> "CONFIRMED".equals(order(TestWorld.token(world.careful), cancelled)
        .getString("status")));
    system.api().post(TestWorld.token(world.careful), "/api/v1/orders/" + cancelled + "/cancel");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(orders).allSatisfy(id -> assertThat(order(ownerToken(id, orders), id).getString("status"))
          .isNotEqualTo("PENDING"));
      assertThat(system.api().consistency(world.rich, world.careful, world.poor).getBoolean("ok")).isTrue();
    });
    return orders;
  }

  private static String ownerToken(String orderId, List<String> orders) {
    int index = orders.indexOf(orderId);
    if (index == orders.size() - 1) {
      return TestWorld.token(world.careful);
    }
    return TestWorld.token(index % 3 == 2 ? world.poor : world.rich);
  }

  /** What a customer and an operator can see; must not move when duplicates arrive. */
  private record Snapshot(Map<String, JsonObject> orders, Map<String, Integer> stock, Map<String, String> credit,
      int notifications) {
  }

  private static Snapshot snapshot(List<String> orders) {
    Map<String, JsonObject> states = new HashMap<>();
    orders.forEach(id -> states.put(id, order(ownerToken(id, orders), id)));
    Map<String, Integer> stock = new HashMap<>();
    for (String sku : List.of(world.cheapSku, world.priceySku, world.soldOutSku)) {
      stock.put(sku, system.api().getJson(TestWorld.token(world.rich), "/api/v1/products/" + sku).getInteger("available"));
    }
    Map<String, String> credit = new HashMap<>();
    for (String customer : List.of(world.rich, world.careful, world.poor)) {
      credit.put(customer, system.api().getJson(TestWorld.token(customer), "/api/v1/users/me").getString("creditAvailable"));
    }
    return new Snapshot(states, stock, credit, mailboxCount(Set.copyOf(orders)));
  }

  private static int mailboxCount(Set<String> orders) {
    int port = system.node().settings().config().notification().mailboxPort();
    var response = system.api().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages")).GET());
    return (int) new JsonObject(response.body()).getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getJsonObject("message").getString("orderId")).filter(orders::contains).count();
  }

  private static JsonObject order(String token, String orderId) {
    return system.api().getJson(token, "/api/v1/orders/" + orderId);
  }

  private static String place(String token, String sku) {
    return new JsonObject(system.api().placeOrder(token, TestWorld.order(sku, 1)).body()).getString("orderId");
  }

  private static long totalDuplicates() {
    return SERVICES.stream().mapToLong(s -> TestNodes.join(system.node().vertx().eventBus()
        .<JsonObject>request(ServiceHealth.address(s), new JsonObject())).body().getLong("duplicatesSkipped")).sum();
  }

  /** The domain-topic records of the given orders; waits until at least {@code atLeast} are read. */
  private static List<ConsumerRecord<String, String>> recordsOf(Set<String> orders, int atLeast) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", TestInfra.shared().kafkaBootstrap().orElseThrow(),
        "group.id", "redelivery-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      reader.subscribe(Topics.DOMAIN);
      int[] emptyPolls = {0};
      await().atMost(TIMEOUT).until(() -> {
        var records = reader.poll(Duration.ofMillis(300));
        records.forEach(r -> {
          if (orders.contains(r.key())) {
            found.add(r);
          }
        });
        emptyPolls[0] = records.isEmpty() ? emptyPolls[0] + 1 : 0;
        return found.size() >= atLeast && emptyPolls[0] >= 3;
      });
    }
    return found;
  }

  private static void republish(List<ConsumerRecord<String, String>> records) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", TestInfra.shared().kafkaBootstrap().orElseThrow()),
        new StringSerializer(), new StringSerializer())) {
      for (ConsumerRecord<String, String> r : records) {
        ProducerRecord<String, String> copy = new ProducerRecord<>(r.topic(), r.key(), r.value());
        r.headers().forEach(h -> copy.headers().add(h.key(), h.value()));
        producer.send(copy);
      }
      producer.flush();
    }
  }

  private static EventType typeOf(ConsumerRecord<String, String> record) {
    String type = new String(record.headers().lastHeader(EventHeaders.TYPE).value(), StandardCharsets.UTF_8);
    return EventType.fromWireName(type).orElseThrow();
  }
}
