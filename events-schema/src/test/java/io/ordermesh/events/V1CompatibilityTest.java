package io.ordermesh.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.customer.CreditRejected;
import io.ordermesh.events.customer.CreditReleased;
import io.ordermesh.events.customer.CreditReserved;
import io.ordermesh.events.inventory.StockRejected;
import io.ordermesh.events.inventory.StockReleased;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.events.order.OrderPlaced;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Frozen v1 events, written as producers wrote them when v1 shipped (test resources
 * {@code events/v1-samples}). Both directions of compatibility hold for every event type: today's
 * consumers read what v1 producers wrote, and today's producers write exactly the v1 shape, so a v1
 * consumer still running in the cluster reads it. A change that breaks either needs a v2 schema.
 */
class V1CompatibilityTest {

  private static final Map<EventType, Function<JsonObject, DomainEvent>> READERS = Map.of(
      EventType.ORDER_PLACED, OrderPlaced::fromJson,
      EventType.ORDER_CONFIRMED, OrderConfirmed::fromJson,
      EventType.ORDER_CANCELLED, OrderCancelled::fromJson,
      EventType.STOCK_RESERVED, StockReserved::fromJson,
      EventType.STOCK_REJECTED, StockRejected::fromJson,
      EventType.STOCK_RELEASED, StockReleased::fromJson,
      EventType.CREDIT_RESERVED, CreditReserved::fromJson,
      EventType.CREDIT_REJECTED, CreditRejected::fromJson,
      EventType.CREDIT_RELEASED, CreditReleased::fromJson);

  @ParameterizedTest
  @EnumSource(EventType.class)
  void todaysConsumersReadWhatV1ProducersWrote(EventType type) {
    JsonObject golden = sample(type);

    EventEnvelope parsed = EventSchemas.parse(golden);

    assertThat(parsed.type()).isEqualTo(type);
    assertThat(parsed.version()).isEqualTo(1);
    assertThat(READERS.get(type).apply(parsed.data()).aggregateId()).isEqualTo(golden.getString("aggregateId"));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void todaysProducersWriteExactlyWhatV1ConsumersRead(EventType type) {
    JsonObject golden = sample(type);
    DomainEvent event = READERS.get(type).apply(golden.getJsonObject("data"));

    JsonObject written = event.toJson();

    assertThat(written).isEqualTo(golden.getJsonObject("data"));
    assertThat(type.version()).as("a new version of %s needs its own schema and samples", type).isEqualTo(1);
  }

  private static JsonObject sample(EventType type) {
    String resource = "events/v1-samples/" + type.wireName() + ".json";
    try (InputStream in = V1CompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("golden sample %s", resource).isNotNull();
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
