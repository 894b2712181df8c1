package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventSchemas;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Money;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.events.Topics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every event the services publish during real sagas (all nine types) validates against its
 * schema, carries the type, version and correlation id headers, and keeps the request's
 * correlation id from the HTTP call all the way through.
 */
class ProducedEventsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  @RegisterExtension
  static final WholeNode system = new WholeNode();
  private static final TestWorld world = system.world();

  @Test
  void everyPublishedEventValidatesAndCarriesTheRequestsCorrelationId() {
    Map<String, Set<String>> correlationByOrder = new java.util.HashMap<>();
    traceByOrder.clear();
    String rich = TestWorld.token(world.rich);
    String twoLines = new JsonObject().put("lines", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("sku", world.priceySku).put("quantity", 1))
        .add(new JsonObject().put("sku", world.cheapSku).put("quantity", 2))).encode();
    String confirmedThenCancelled = place(rich, twoLines, correlationByOrder);
    place(rich, TestWorld.order(world.soldOutSku, 1), correlationByOrder);
    place(TestWorld.token(world.poor), TestWorld.order(world.priceySku, 1), correlationByOrder);
    await().atMost(TIMEOUT).until(() -> "CONFIRMED".equals(status(rich, confirmedThenCancelled)));
    String cancelCorrelation = "cancel-" + UUID.randomUUID();
    system.api().send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/orders/" + confirmedThenCancelled + "/cancel"))
        .header("Authorization", "Bearer " + rich)
        .header("X-Correlation-ID", cancelCorrelation)
        // The same client trace continues with the cancellation.
        .header("traceparent", io.ordermesh.events.TraceParent.child(traceByOrder.get(confirmedThenCancelled)))
        .POST(HttpRequest.BodyPublishers.noBody()));
    // The cancellation is a request of its own: its events carry its correlation id.
    correlationByOrder.get(confirmedThenCancelled).add(cancelCorrelation);

    List<ConsumerRecord<String, String>> records = recordsOf(correlationByOrder.keySet(), EnumSet.allOf(EventType.class));

    for (ConsumerRecord<String, String> record : records) {
      EventEnvelope event = EventSchemas.parse(Buffer.buffer(record.value()));
      assertThat(header(record, EventHeaders.TYPE)).isEqualTo(event.type().wireName());
      assertThat(header(record, EventHeaders.VERSION)).isEqualTo(Integer.toString(event.version()));
      assertThat(header(record, EventHeaders.CORRELATION_ID)).isEqualTo(event.correlationId())
          .isIn(correlationByOrder.get(record.key()));
      assertThat(record.topic()).isEqualTo(event.type().topic());
      assertThat(io.ordermesh.events.TraceParent.traceId(header(record, EventHeaders.TRACEPARENT)))
          .as("every event of a request's saga belongs to the request's trace")
          .isEqualTo(io.ordermesh.events.TraceParent.traceId(traceByOrder.get(record.key())));
    }
    OrderConfirmed confirmed = records.stream().map(r -> EventSchemas.parse(Buffer.buffer(r.value())))
        .filter(event -> event.type() == EventType.ORDER_CONFIRMED).map(event -> OrderConfirmed.fromJson(event.data()))
        .findFirst().orElseThrow();
    assertThat(confirmed.lines()).as("the confirmation carries the order's lines, in order, at the reserved prices")
        .extracting(line -> line.sku() + " x" + line.quantity() + " @ " + Money.format(line.unitPrice()))
        .containsExactly(world.priceySku + " x1 @ 120.00", world.cheapSku + " x2 @ 9.99");
    assertThat(Money.format(confirmed.total())).isEqualTo("139.98");
  }

  /** The traceparent each placement was sent with. */
  private static final Map<String, String> traceByOrder = new java.util.concurrent.ConcurrentHashMap<>();

  private static String base() {
    return "http://127.0.0.1:" + system.node().httpPort();
  }

  private static String place(String token, String body, Map<String, Set<String>> correlationByOrder) {
    String correlationId = "corr-" + UUID.randomUUID();
    String traceparent = io.ordermesh.events.TraceParent.newRoot();
    var response = system.api().send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/orders"))
        .header("traceparent", traceparent)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .header("X-Correlation-ID", correlationId)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue(correlationId);
    String orderId = new JsonObject(response.body()).getString("orderId");
    correlationByOrder.put(orderId, new java.util.HashSet<>(Set.of(correlationId)));
    traceByOrder.put(orderId, traceparent);
    return orderId;
  }

  private static String status(String token, String orderId) {
    return system.api().getJson(token, "/api/v1/orders/" + orderId).getString("status");
  }

  /** Reads the domain topics until the given orders' records cover every expected event type. */
  private static List<ConsumerRecord<String, String>> recordsOf(Set<String> orderIds, Set<EventType> expected) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", TestInfra.shared().kafkaBootstrap().orElseThrow(),
        "group.id", "produced-events-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Topics.DOMAIN);
      await().atMost(TIMEOUT).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (orderIds.contains(r.key())) {
            found.add(r);
          }
        });
        Set<String> types = found.stream().map(r -> header(r, EventHeaders.TYPE)).collect(Collectors.toSet());
        return expected.stream().allMatch(t -> types.contains(t.wireName()));
      });
    }
    return found;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
