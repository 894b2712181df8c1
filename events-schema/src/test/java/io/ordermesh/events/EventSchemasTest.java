package io.ordermesh.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordermesh.events.customer.CreditRejected;
import io.ordermesh.events.customer.CreditReleased;
import io.ordermesh.events.customer.CreditReserved;
import io.ordermesh.events.inventory.StockRejected;
import io.ordermesh.events.inventory.StockReleased;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.events.order.OrderConfirmed;
import io.ordermesh.events.order.OrderPlaced;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EventSchemasTest {

  private static final UUID ORDER = UUID.randomUUID();
  private static final List<PricedLine> PRICED = List.of(new PricedLine("SKU-1", 2, new BigDecimal("9.99")));

  static Stream<DomainEvent> oneOfEachType() {
    return Stream.of(
        new OrderPlaced(ORDER, "alice", List.of(new OrderLine("SKU-1", 2))),
        new OrderConfirmed(ORDER, "alice", PRICED, new BigDecimal("19.98")),
        new OrderCancelled(ORDER, "alice", CancellationReason.TIMEOUT),
        new StockReserved(ORDER, "alice", PRICED, PricedLine.total(PRICED)),
        new StockRejected(ORDER, "alice", CancellationReason.OUT_OF_STOCK, List.of("SKU-RARE")),
        new StockReleased(ORDER, List.of(new OrderLine("SKU-1", 2))),
        new CreditReserved(ORDER, "alice", new BigDecimal("19.98")),
        new CreditRejected(ORDER, "bob", CancellationReason.CREDIT_LIMIT_EXCEEDED),
        new CreditReleased(ORDER, "alice", new BigDecimal("19.98")));
  }

  @Test
  void examplesCoverEveryEventType() {
    Set<EventType> covered = oneOfEachType().map(DomainEvent::type).collect(Collectors.toSet());
    assertThat(covered).isEqualTo(EnumSet.allOf(EventType.class));
  }

  @ParameterizedTest
  @MethodSource("oneOfEachType")
  void everyEventValidatesAgainstItsSchemaAndRoundTrips(DomainEvent event) {
    EventEnvelope envelope = EventEnvelope.wrap(event, "test", "corr-1", UUID.randomUUID());

    EventEnvelope parsed = EventSchemas.parse(Buffer.buffer(envelope.toJson().encode()));

    assertThat(parsed).isEqualTo(envelope);
    assertThat(parsed.data()).isEqualTo(event.toJson());
  }

  @ParameterizedTest
  @MethodSource("oneOfEachType")
  void readsAConsumedRecordsTextAsItReadsItsBytes(DomainEvent event) {
    EventEnvelope envelope = EventEnvelope.wrap(event, "test", "corr-1", UUID.randomUUID());
    String text = envelope.toJson().encode();

    assertThat(EventSchemas.parse(text)).isEqualTo(EventSchemas.parse(Buffer.buffer(text))).isEqualTo(envelope);
  }

  @Test
  void readsTextThatStartsWithAByteOrderMarkAsItsBytesAreRead() {
    String text = "\uFEFF" + placed().encode();

    assertThat(EventSchemas.parse(text)).isEqualTo(EventSchemas.parse(Buffer.buffer(text)));
  }

  @Test
  void readsAnEventCausedByARequestAndAVersionWrittenAsAWholeDecimal() {
    JsonObject json = placed().put("version", 1.0);
    assertThat(json.containsKey("causationId")).isFalse();

    EventEnvelope parsed = EventSchemas.parse(json.encode());

    assertThat(parsed.causationId()).isNull();
    assertThat(parsed.version()).isEqualTo(1);
  }

  @Test
  void refusesAMissingPayloadAsMalformed() {
    assertThatThrownBy(() -> EventSchemas.parse((String) null))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("MALFORMED"));
  }

  @Test
  void rejectsTextThatIsEmptyOrHasAnythingAfterTheEvent() {
    for (String text : List.of("", "   ", placed().encode() + " garbage", placed().encode() + "{}")) {
      assertThatThrownBy(() -> EventSchemas.parse(text))
          .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("MALFORMED"));
    }
  }

  @Test
  void rejectsARecordThatIsNotJson() {
    assertThatThrownBy(() -> EventSchemas.parse(Buffer.buffer("{not json")))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("MALFORMED"));
  }

  @Test
  void rejectsAnUnknownVersionOfAKnownType() {
    JsonObject json = placed().put("version", 7);

    assertThatThrownBy(() -> EventSchemas.parse(json))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("UNKNOWN_VERSION"));
  }

  @Test
  void rejectsAnUnknownType() {
    JsonObject json = placed().put("type", "OrderTeleported");

    assertThatThrownBy(() -> EventSchemas.parse(json))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("UNKNOWN_TYPE"));
  }

  @Test
  void rejectsDataThatBreaksTheSchemaAndSaysWhere() {
    JsonObject json = placed();
    json.getJsonObject("data").getJsonArray("lines").getJsonObject(0).put("quantity", 0);

    assertThatThrownBy(() -> EventSchemas.parse(json))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.reason()).isEqualTo("SCHEMA");
          assertThat(e.getMessage()).contains("quantity");
        });
  }

  @Test
  void rejectsAnEventIdThatIsNotAUuidAndATimeThatIsNotADateTime() {
    JsonObject badId = placed().put("eventId", "not-a-uuid");
    JsonObject badTime = placed().put("occurredAt", "yesterday");

    for (JsonObject json : List.of(badId, badTime)) {
      assertThatThrownBy(() -> EventSchemas.parse(json))
          .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("MALFORMED"));
    }
  }

  @Test
  void rejectsWhatTheSchemaLetsThroughButJavaCannotRead() {
    JsonObject spaceForT = placed().put("occurredAt", "2024-01-01 00:00:00Z");

    assertThatThrownBy(() -> EventSchemas.parse(spaceForT))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("MALFORMED"));
  }

  @Test
  void rejectsAnEventWhoseAggregateIsNotTheOrderItIsAbout() {
    JsonObject json = placed().put("aggregateId", UUID.randomUUID().toString());

    assertThatThrownBy(() -> EventSchemas.parse(json))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.reason()).isEqualTo("MALFORMED");
          assertThat(e.getMessage()).contains("is not the event's order");
        });
  }

  @Test
  void rejectsAnEventFollowedByAnythingElse() {
    Buffer trailing = placed().toBuffer().appendString(" garbage");

    assertThatThrownBy(() -> EventSchemas.parse(trailing))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("MALFORMED"));
  }

  @Test
  void namesABadDataFieldFromTheTopOfTheEvent() {
    JsonObject json = placed();
    json.getJsonObject("data").remove("customerId");

    assertThatThrownBy(() -> EventSchemas.parse(json))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.getMessage()).startsWith("/data"));
  }

  @Test
  void rejectsAnEnvelopeWithAFieldItDoesNotKnow() {
    JsonObject json = placed().put("priority", "high");

    assertThatThrownBy(() -> EventSchemas.parse(json))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.getMessage()).contains("priority"));
  }

  @Test
  void rejectsMoneyWrittenAsAFloat() {
    JsonObject json = EventEnvelope.wrap(new CreditReserved(ORDER, "alice", new BigDecimal("1.00")), "t", "c", null).toJson();
    json.getJsonObject("data").put("amount", 1.0);

    assertThatThrownBy(() -> EventSchemas.parse(json)).isInstanceOf(InvalidEventException.class);
  }

  private static JsonObject placed() {
    return EventEnvelope.wrap(new OrderPlaced(ORDER, "alice", List.of(new OrderLine("SKU-1", 1))), "t", "c", null).toJson();
  }
}
