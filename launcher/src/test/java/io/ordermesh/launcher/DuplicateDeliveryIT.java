package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventType;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery, taken at its word: after a saga workload has settled (orders confirmed,
 * rejected for stock, for credit, for an unknown sku, cancelled by the customer before and after
 * confirmation), every record of those orders on orders.v1, inventory.v1 and customers.v1 is delivered
 * a second time. Each service skips every copy of what it consumes, and nothing changes: order states,
 * stock, credit, notifications, processed counts, and no new event is published.
 */
class DuplicateDeliveryIT {

  private static final Duration QUIET = Duration.ofSeconds(2);
  private static final Duration REDELIVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);

  /** What each service consumes (ARCHITECTURE section 5); each second copy of one must be skipped. */
  private static final Map<String, Set<String>> CONSUMES = Map.of(
      "inventory", wireNames(EventType.ORDER_PLACED, EventType.ORDER_CONFIRMED, EventType.ORDER_CANCELLED),
      "user", wireNames(EventType.STOCK_RESERVED, EventType.ORDER_CONFIRMED, EventType.ORDER_CANCELLED),
      "order", wireNames(EventType.STOCK_RESERVED, EventType.STOCK_REJECTED, EventType.CREDIT_RESERVED,
          EventType.CREDIT_REJECTED),
      "notification", wireNames(EventType.ORDER_CONFIRMED, EventType.ORDER_CANCELLED));

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String RICH = "dup-rich-" + RUN;
  private static final String POOR = "dup-poor-" + RUN;
  private static final String CHEAP = "DUP-CHEAP-" + RUN;
  private static final String PRICEY = "DUP-PRICEY-" + RUN;
  private static final String FEW = "DUP-FEW-" + RUN;
  private static final String NONE = "DUP-NONE-" + RUN;
  private static final String NOPE = "DUP-NOPE-" + RUN;
  private static final List<String> CUSTOMERS = List.of(RICH, POOR);
  private static final List<String> SKUS = List.of(CHEAP, PRICEY, FEW, NONE);

  private static OrdermeshNode node;
  private static SagaProbe probe;
  private static Api mailbox;

  /** How an order of the workload is meant to end. */
  private enum Fate {
    CONFIRMED("CONFIRMED", null),
    CANCELLED_AFTER_CONFIRMATION("CANCELLED", "CANCELLED_BY_CUSTOMER"),
    CANCELLED_AT_ONCE("CANCELLED", "CANCELLED_BY_CUSTOMER"),
    OUT_OF_STOCK("CANCELLED", "OUT_OF_STOCK"),
    CREDIT_REJECTED("CANCELLED", "CREDIT_LIMIT_EXCEEDED"),
    UNKNOWN_SKU("CANCELLED", "UNKNOWN_SKU");

    final String status;
    final String reason;

    Fate(String status, String reason) {
      this.status = status;
      this.reason = reason;
    }
  }

  private record Scenario(String customer, Fate fate, String body) {
  }

  /** Everything a duplicate could change, read once the system is quiet. */
  private record Snapshot(Map<String, String> orders, Map<String, Integer> stock, Map<String, String> credit,
      Set<String> notifications, long mailboxDuplicates, Map<String, Long> processed) {
  }

  @BeforeAll
  static void startNode() {
    var config = TestNodes.shared();
    node = TestNodes.start(config, Service.all(), Optional.empty(), seed());
    probe = new SagaProbe(node);
    mailbox = new Api(config.notification().mailboxPort());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      TestNodes.join(node.stop());
    }
  }

  @Test
  void everyRecordDeliveredTwiceChangesNothing() {
    Map<String, Scenario> orders = runWorkload();
    probe.awaitConsistent(CUSTOMERS);
    Set<String> outcomes = expectedNotifications(orders.keySet());
    await("one notification per outcome").atMost(SagaProbe.SETTLE_TIMEOUT).pollInterval(POLL)
        .until(() -> notifications(orders.keySet()).equals(outcomes));
    Snapshot before = awaitQuiet(orders.keySet());
    Map<String, Long> duplicatesBefore = counters("duplicatesSkipped");
    List<ConsumerRecord<String, String>> records = DomainTopics.recordsOf(orders.keySet());
    assertThat(records).as("each order's placement and outcome were published")
        .filteredOn(r -> EventType.ORDER_PLACED.wireName().equals(DomainTopics.header(r, EventHeaders.TYPE)))
        .hasSize(orders.size());

    republish(records);

    Map<String, Long> expected = copiesEachServiceConsumes(records);
    await("every service skipped each copy it consumes").atMost(REDELIVERY_TIMEOUT).pollInterval(POLL)
        .untilAsserted(() -> assertThat(counters("duplicatesSkipped")).allSatisfy((service, now) ->
            assertThat(now - duplicatesBefore.get(service)).as(service).isGreaterThanOrEqualTo(expected.get(service))));
    Snapshot after = awaitQuiet(orders.keySet());
    assertThat(after).isEqualTo(before);
    assertThat(valueCounts(DomainTopics.recordsOf(orders.keySet())))
        .as("records of the workload's orders: each original twice, nothing new")
        .isEqualTo(valueCounts(Stream.concat(records.stream(), records.stream()).toList()));
    probe.awaitConsistent(CUSTOMERS);
    System.out.printf("DuplicateDeliveryIT: %d orders, %d records re-published, copies consumed per service %s%n",
        orders.size(), records.size(), expected);
  }

  /** Places the 20 orders, drives the cancellations, and checks each ended as meant. */
  private static Map<String, Scenario> runWorkload() {
    Map<String, Scenario> orders = new TreeMap<>();
    for (Scenario scenario : scenarios()) {
      String token = SagaProbe.token(scenario.customer());
      var placed = probe.api().placeOrder(token, scenario.body());
      assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
      String orderId = new JsonObject(placed.body()).getString("orderId");
      orders.put(orderId, scenario);
      if (scenario.fate() == Fate.CANCELLED_AT_ONCE) {
        cancel(token, orderId);
      }
    }
    orders.forEach((orderId, scenario) -> {
      if (scenario.fate() == Fate.CANCELLED_AFTER_CONFIRMATION) {
        await().atMost(SagaProbe.SETTLE_TIMEOUT).pollInterval(POLL).until(() ->
            probe.order(scenario.customer(), orderId).getString("status"), "CONFIRMED"::equals);
        cancel(SagaProbe.token(scenario.customer()), orderId);
      }
    });
    orders.forEach((orderId, scenario) -> {
      JsonObject order = await().atMost(SagaProbe.SETTLE_TIMEOUT).pollInterval(POLL)
          .until(() -> probe.order(scenario.customer(), orderId), o -> !"PENDING".equals(o.getString("status")));
      assertThat(order.getString("status")).as(order.encode()).isEqualTo(scenario.fate().status);
      assertThat(order.getString("reason")).as(order.encode()).isEqualTo(scenario.fate().reason);
    });
    return orders;
  }

  private static void cancel(String token, String orderId) {
    var response = probe.api().post(token, "/api/v1/orders/" + orderId + "/cancel");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }

  /** Waits until nothing changes for a while, and answers that state. */
  private static Snapshot awaitQuiet(Set<String> orderIds) {
    AtomicReference<Snapshot> last = new AtomicReference<>();
    await("the system is quiet").atMost(REDELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(500)).during(QUIET)
        .until(() -> {
          Snapshot now = snapshot(orderIds);
          return now.equals(last.getAndSet(now));
        });
    return last.get();
  }

  private static Snapshot snapshot(Set<String> orderIds) {
    Map<String, String> orders = new TreeMap<>();
    for (String orderId : orderIds) {
      JsonObject o = probe.api().getJson(SagaProbe.adminToken(), "/api/v1/orders/" + orderId);
      orders.put(orderId, o.getString("status") + "|" + o.getString("reason") + "|" + o.getString("total") + "|"
          + o.getJsonArray("history").size());
    }
    Map<String, Integer> stock = SKUS.stream().collect(Collectors.toMap(s -> s, probe::available, (a, b) -> a,
        TreeMap::new));
    Map<String, String> credit = CUSTOMERS.stream().collect(Collectors.toMap(c -> c,
        c -> probe.creditAvailable(c).toPlainString(), (a, b) -> a, TreeMap::new));
    return new Snapshot(orders, stock, credit, notifications(orderIds),
        mailbox.getJson(null, "/messages").getLong("duplicates"), counters("eventsProcessed"));
  }

  /** {@code orderId:outcome} of every message the mailbox received for these orders. */
  private static Set<String> notifications(Set<String> orderIds) {
    JsonArray messages = mailbox.getJson(null, "/messages").getJsonArray("messages");
    List<String> received = messages.stream().map(m -> ((JsonObject) m).getJsonObject("message"))
        .filter(m -> orderIds.contains(m.getString("orderId")))
        .map(m -> m.getString("orderId") + ":" + m.getString("outcome"))
        .toList();
    assertThat(received).as("no outcome is notified twice").doesNotHaveDuplicates();
    return new HashSet<>(received);
  }

  /** One notification for each terminal status an order went through. */
  private static Set<String> expectedNotifications(Set<String> orderIds) {
    Set<String> expected = new HashSet<>();
    for (String orderId : orderIds) {
      probe.api().getJson(SagaProbe.adminToken(), "/api/v1/orders/" + orderId).getJsonArray("history").stream()
          .map(h -> ((JsonObject) h).getString("status"))
          .filter(s -> !"PENDING".equals(s))
          .forEach(s -> expected.add(orderId + ":" + s));
    }
    return expected;
  }

  private static Map<String, Long> counters(String name) {
    return SagaProbe.SERVICES.stream().collect(Collectors.toMap(s -> s, s -> probe.counter(s, name), (a, b) -> a,
        TreeMap::new));
  }

  private static Map<String, Long> copiesEachServiceConsumes(List<ConsumerRecord<String, String>> records) {
    return CONSUMES.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> records.stream().filter(r -> e.getValue().contains(DomainTopics.header(r, EventHeaders.TYPE))).count()));
  }

  /** Sends each record again to its own partition with the same key, value and headers. */
  private static void republish(List<ConsumerRecord<String, String>> records) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", TestInfra.shared().kafkaBootstrap().orElseThrow(),
        "enable.idempotence", "true",
        "acks", "all"), new StringSerializer(), new StringSerializer())) {
      for (ConsumerRecord<String, String> r : records) {
        producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers())).get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not re-publish", e);
    }
  }

  private static Map<String, Long> valueCounts(List<ConsumerRecord<String, String>> records) {
    return records.stream().collect(Collectors.groupingBy(r -> r.topic() + " " + r.value(), TreeMap::new,
        Collectors.counting()));
  }

  private static Set<String> wireNames(EventType... types) {
    return Stream.of(types).map(EventType::wireName).collect(Collectors.toUnmodifiableSet());
  }

  /** Twenty orders: six confirmed, three cancelled after and three right after placing, eight rejected. */
  private static List<Scenario> scenarios() {
    return List.of(
        scenario(RICH, Fate.CONFIRMED, CHEAP, 2),
        scenario(RICH, Fate.CONFIRMED, PRICEY, 1),
        scenario(RICH, Fate.CONFIRMED, CHEAP, 1, PRICEY, 1),
        scenario(RICH, Fate.CONFIRMED, FEW, 2),
        scenario(RICH, Fate.CONFIRMED, CHEAP, 5),
        scenario(RICH, Fate.CONFIRMED, PRICEY, 2),
        scenario(RICH, Fate.CANCELLED_AFTER_CONFIRMATION, CHEAP, 1),
        scenario(RICH, Fate.CANCELLED_AFTER_CONFIRMATION, PRICEY, 1),
        scenario(RICH, Fate.CANCELLED_AFTER_CONFIRMATION, CHEAP, 3, PRICEY, 1),
        scenario(RICH, Fate.CANCELLED_AT_ONCE, CHEAP, 1),
        scenario(RICH, Fate.CANCELLED_AT_ONCE, CHEAP, 2),
        scenario(RICH, Fate.CANCELLED_AT_ONCE, PRICEY, 1),
        scenario(RICH, Fate.OUT_OF_STOCK, NONE, 1),
        scenario(RICH, Fate.OUT_OF_STOCK, NONE, 1, CHEAP, 1),
        scenario(RICH, Fate.OUT_OF_STOCK, PRICEY, 1000, PRICEY, 1000),
        scenario(POOR, Fate.CREDIT_REJECTED, PRICEY, 1),
        scenario(POOR, Fate.CREDIT_REJECTED, CHEAP, 6),
        scenario(POOR, Fate.CREDIT_REJECTED, PRICEY, 1, CHEAP, 1),
        scenario(RICH, Fate.UNKNOWN_SKU, NOPE, 1),
        scenario(RICH, Fate.UNKNOWN_SKU, NOPE, 1, CHEAP, 1));
  }

  /** Lines given as {@code sku, quantity, sku, quantity, …}. */
  private static Scenario scenario(String customer, Fate fate, Object... skuQuantityPairs) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < skuQuantityPairs.length; i += 2) {
      lines.add(new JsonObject().put("sku", skuQuantityPairs[i]).put("quantity", skuQuantityPairs[i + 1]));
    }
    return new Scenario(customer, fate, new JsonObject().put("lines", lines).encode());
  }

  /** rich 10000.00, poor 50.00; cheap 9.99 and pricey 120.00 (1000 each), few 5.00 (2), none 5.00 (0). */
  private static JsonObject seed() {
    return new JsonObject()
        .put("customers", new JsonArray()
            .add(customer(RICH, "10000.00"))
            .add(customer(POOR, "50.00")))
        .put("products", new JsonArray()
            .add(product(CHEAP, "9.99", 1000))
            .add(product(PRICEY, "120.00", 1000))
            .add(product(FEW, "5.00", 2))
            .add(product(NONE, "5.00", 0)));
  }

  private static JsonObject customer(String id, String creditLimit) {
    return new JsonObject().put("id", id).put("name", id).put("email", id + "@test.invalid")
        .put("creditLimit", creditLimit);
  }

  private static JsonObject product(String sku, String price, int stock) {
    return new JsonObject().put("sku", sku).put("name", sku).put("price", price).put("stock", stock);
  }
}
