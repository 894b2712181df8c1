package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.DomainEvent;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventSchemas;
import io.ordermesh.events.EventType;
import io.ordermesh.events.OrderLine;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.Topics;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.events.order.OrderPlaced;
import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.timeline.Timeline;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Participants fed the events of one order in the problematic orders that topics allow (a
 * cancellation overtaking a reservation, a confirmation after a cancellation) and fed garbage: they
 * hold nothing for dead orders, and poison goes to the DLQ while the saga goes on.
 */
class ArrivalOrderIT {

  private static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration SETTLE = Duration.ofSeconds(1);
  /** The timelines and holdings it reads are operators' addresses. */
  private static final Caller ADMIN = new Caller("arrival-order-it", Set.of(Caller.ADMIN), "arrival-order-it", null);

  @RegisterExtension
  static final WholeNode system = new WholeNode();
  private static final TestWorld world = system.world();
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void openProducer() {
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", TestInfra.shared().kafkaBootstrap().orElseThrow(),
        "enable.idempotence", "true"), new StringSerializer(), new StringSerializer());
  }

  @AfterAll
  static void closeProducer() {
    producer.close();
  }

  @Test
  void holdsNoCreditWhenAStockReservationArrivesAfterItsOrdersCancellation() {
    UUID orderId = UUID.randomUUID();
    String token = TestWorld.token(world.careful);

    deliverAndAwait("user", new OrderCancelled(orderId, world.careful, CancellationReason.TIMEOUT));
    deliverAndAwait("user", reserved(orderId, world.careful, world.priceySku, 1, "120.00"));

    assertThat(heldFor(orderId)).isEmpty();
    await().during(SETTLE).atMost(SETTLE.multipliedBy(3)).untilAsserted(() ->
        assertThat(system.api().getJson(token, "/api/v1/users/me").getString("creditAvailable")).isEqualTo("10000.00"));
  }

  @Test
  void refusesCreditToAnUnknownCustomerWithTheReasonAndHoldsNothing() {
    UUID orderId = UUID.randomUUID();

    deliverAndAwait("user", reserved(orderId, "nobody-" + orderId, world.cheapSku, 1, "9.99"));

    List<EventEnvelope> answers = recordsWithKey(EventType.CREDIT_REJECTED.topic(), orderId.toString(), 1).stream()
        .map(r -> EventSchemas.parse(Buffer.buffer(r.value()))).toList();
    assertThat(answers).singleElement().satisfies(answer -> {
      assertThat(answer.type()).isEqualTo(EventType.CREDIT_REJECTED);
      assertThat(answer.data().getString("reason")).isEqualTo(CancellationReason.UNKNOWN_CUSTOMER.name());
    });
    assertThat(heldFor(orderId)).isEmpty();
  }

  @Test
  void capturesNothingForAnOrderConfirmedAfterItsCancellation() {
    UUID orderId = UUID.randomUUID();
    String token = TestWorld.token(world.rich);
    String before = system.api().getJson(token, "/api/v1/users/me").getString("creditAvailable");

    deliverAndAwait("user", reserved(orderId, world.rich, world.cheapSku, 1, "9.99"));
    deliverAndAwait("user", new OrderCancelled(orderId, world.rich, CancellationReason.CANCELLED_BY_CUSTOMER));
    deliverAndAwait("user", new OrderConfirmed(orderId, world.rich,
        List.of(new PricedLine(world.cheapSku, 1, new BigDecimal("9.99"))), new BigDecimal("9.99")));

    assertThat(heldFor(orderId)).isEmpty();
    assertThat(system.api().getJson(token, "/api/v1/users/me").getString("creditAvailable")).isEqualTo(before);
  }

  @Test
  void reservesNoStockForAnOrderPlacedAfterItsCancellation() {
    UUID orderId = UUID.randomUUID();
    String token = TestWorld.token(world.rich);
    int before = system.api().getJson(token, "/api/v1/products/" + world.cheapSku).getInteger("available");

    deliverAndAwait("inventory", new OrderCancelled(orderId, world.rich, CancellationReason.TIMEOUT));
    deliverAndAwait("inventory", new OrderPlaced(orderId, world.rich, List.of(new OrderLine(world.cheapSku, 3))));

    assertThat(heldFor(orderId)).isEmpty();
    assertThat(system.api().getJson(token, "/api/v1/products/" + world.cheapSku).getInteger("available")).isEqualTo(before);
  }

  @Test
  void parksMalformedMislabelledAndUnknownVersionRecordsOnTheDlqAndKeepsServingOrders() {
    String key = UUID.randomUUID().toString();
    JsonObject unknownVersion = EventEnvelope.wrap(
        new OrderPlaced(UUID.fromString(key), world.rich, List.of(new OrderLine(world.cheapSku, 1))), "test",
        "poison-" + key, null).toJson().put("version", 99);
    send(new ProducerRecord<>(Topics.ORDERS, key, "{this is not json"));
    send(new ProducerRecord<>(Topics.ORDERS, key, unknownVersion.encode()));
    String mislabelledKey = UUID.randomUUID().toString();
    ProducerRecord<String, String> mislabelled = new ProducerRecord<>(Topics.ORDERS, mislabelledKey,
        EventEnvelope.wrap(new OrderPlaced(UUID.fromString(mislabelledKey), world.rich,
            List.of(new OrderLine(world.cheapSku, 1))), "test", "poison-" + mislabelledKey, null).toJson().encode());
    mislabelled.headers().add(EventHeaders.TYPE, EventType.ORDER_CANCELLED.wireName().getBytes(StandardCharsets.UTF_8));
    send(mislabelled);

    String token = TestWorld.token(world.rich);
    String orderId = new JsonObject(system.api().placeOrder(token, TestWorld.order(world.cheapSku, 1)).body()).getString("orderId");
    await().atMost(PROCESSING_TIMEOUT).untilAsserted(() ->
        assertThat(system.api().getJson(token, "/api/v1/orders/" + orderId).getString("status")).isEqualTo("CONFIRMED"));

    List<ConsumerRecord<String, String>> parked = recordsWithKey(Topics.dlqOf(Topics.ORDERS), key, 2);
    assertThat(parked).extracting(r -> header(r, EventHeaders.DLQ_REASON)).contains("MALFORMED", "UNKNOWN_VERSION");
    assertThat(parked).extracting(r -> header(r, EventHeaders.DLQ_ERROR)).allMatch(error -> !error.isBlank());
    assertThat(recordsWithKey(Topics.dlqOf(Topics.ORDERS), mislabelledKey, 1))
        .as("a type header that names another event than the body").extracting(r -> header(r, EventHeaders.DLQ_ERROR))
        .allMatch(error -> error.contains("header says " + EventType.ORDER_CANCELLED.wireName()));
  }

  @Test
  void replaysTheDlqOntoItsTopicWhereStillPoisonousRecordsAreParkedAgain() {
    String key = UUID.randomUUID().toString();
    send(new ProducerRecord<>(Topics.ORDERS, key, "{still not json"));
    recordsWithKey(Topics.dlqOf(Topics.ORDERS), key, 1);
    String admin = TestWorld.token("dlq-admin", "admin");

    var response = system.api().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + system.node().httpPort() + "/admin/dlq/" + Topics.ORDERS + "/replay"))
        .header("Authorization", "Bearer " + admin).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getInteger("replayed")).isGreaterThanOrEqualTo(1);
    List<ConsumerRecord<String, String>> parkedAgain = recordsWithKey(Topics.dlqOf(Topics.ORDERS), key, 2);
    assertThat(parkedAgain).anySatisfy(r -> assertThat(header(r, "replayedFromDlqOffset")).isNotBlank());
  }

  /**
   * Publishes one event and waits until the named service has applied it: its inbox, as the service's
   * own timeline of the order shows it, holds this event's id (another event applied meanwhile does not count).
   */
  private static void deliverAndAwait(String service, DomainEvent event) {
    EventEnvelope envelope = EventEnvelope.wrap(event, "test", "arrival-" + event.aggregateId(), null);
    ProducerRecord<String, String> record =
        new ProducerRecord<>(event.type().topic(), event.aggregateId(), envelope.toJson().encode());
    record.headers().add(EventHeaders.TYPE, event.type().wireName().getBytes(StandardCharsets.UTF_8));
    send(record);
    await().atMost(PROCESSING_TIMEOUT).until(() -> consumedBy(service, event.aggregateId())
        .contains(envelope.eventId().toString()));
  }

  /** The ids of the order's events that the service's inbox holds. */
  private static List<String> consumedBy(String service, String orderId) {
    JsonObject timeline = TestNodes.join(system.node().vertx().eventBus()
        .<JsonObject>request(Timeline.address(service), new JsonObject().put("orderId", orderId), asAdmin())).body();
    return timeline.getJsonArray("entries").stream().map(JsonObject.class::cast)
        .map(e -> e.getString("eventId")).filter(java.util.Objects::nonNull).toList();
  }

  /** Made for each request: a request carries its own deadline. */
  private static DeliveryOptions asAdmin() {
    return ADMIN.deliveryOptions(10_000);
  }

  private static void send(ProducerRecord<String, String> record) {
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What stock and credit the system holds for an order, as the invariant check sees it. */
  private static JsonObject heldFor(UUID orderId) {
    JsonObject ids = new JsonObject().put("orderIds", new io.vertx.core.json.JsonArray().add(orderId.toString()));
    JsonObject stock = TestNodes.join(system.node().vertx().eventBus()
        .<JsonObject>request(io.ordermesh.contracts.InventoryAddresses.CONSISTENCY, ids, asAdmin())).body();
    JsonObject credit = TestNodes.join(system.node().vertx().eventBus()
        .<JsonObject>request(io.ordermesh.contracts.UserAddresses.CONSISTENCY, ids, asAdmin())).body();
    JsonObject held = new JsonObject();
    Optional.ofNullable(stock.getJsonObject("holdings").getJsonObject(orderId.toString()))
        .ifPresent(s -> held.put("stock", s));
    Optional.ofNullable(credit.getJsonObject("holdings").getJsonObject(orderId.toString()))
        .ifPresent(c -> held.put("credit", c));
    return held;
  }

  private static StockReserved reserved(UUID orderId, String customer, String sku, int quantity, String price) {
    List<PricedLine> lines = List.of(new PricedLine(sku, quantity, new BigDecimal(price)));
    return new StockReserved(orderId, customer, lines, PricedLine.total(lines));
  }

  private static List<ConsumerRecord<String, String>> recordsWithKey(String topic, String key, int atLeast) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", TestInfra.shared().kafkaBootstrap().orElseThrow(),
        "group.id", "dlq-reader-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await().atMost(PROCESSING_TIMEOUT).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (key.equals(r.key())) {
            found.add(r);
          }
        });
        return found.size() >= atLeast;
      });
    }
    return found;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
