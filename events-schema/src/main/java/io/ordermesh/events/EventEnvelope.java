package io.ordermesh.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * The envelope every event travels in, on Kafka and in outbox rows.
 *
 * @param causationId the event that caused this one, or {@code null} for events caused by a request
 * @param traceparent the W3C trace context; it travels as a Kafka header, not in the JSON, or null
 */
public record EventEnvelope(
    UUID eventId,
    EventType type,
    int version,
    Instant occurredAt,
    String aggregateId,
    String correlationId,
    UUID causationId,
    String producer,
    JsonObject data,
    String traceparent) {

  /** Wraps a new event caused by a request or by another event. */
  public static EventEnvelope wrap(DomainEvent event, String producer, String correlationId, UUID causationId) {
    return new EventEnvelope(
        UUID.randomUUID(),
        event.type(),
        event.type().version(),
        Instant.now(),
        event.aggregateId(),
        correlationId,
        causationId,
        producer,
        event.toJson(),
        null);
  }

  /** Wraps an event caused by {@code cause}: same correlation, same trace one hop further. */
  public static EventEnvelope causedBy(DomainEvent event, String producer, EventEnvelope cause) {
    return wrap(event, producer, cause.correlationId(), cause.eventId())
        .withTraceparent(TraceParent.child(cause.traceparent()));
  }

  public EventEnvelope withTraceparent(String value) {
    return new EventEnvelope(eventId, type, version, occurredAt, aggregateId, correlationId, causationId, producer,
        data, value);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("eventId", eventId.toString())
        .put("type", type.wireName())
        .put("version", version)
        .put("occurredAt", occurredAt.toString())
        .put("aggregateId", aggregateId)
        .put("correlationId", correlationId)
        .put("producer", producer)
        .put("data", data);
    if (causationId != null) {
      json.put("causationId", causationId.toString());
    }
    return json;
  }

  /**
   * Reads an envelope already validated against its schema (see {@link EventSchemas#parse}): every
   * required field is there with its type, so only Java's own parsers (UUID, instant) can still refuse it.
   */
  static EventEnvelope fromValidTree(JsonNode tree, EventType type) {
    JsonNode causation = tree.get("causationId");
    return new EventEnvelope(
        UUID.fromString(tree.get("eventId").textValue()),
        type,
        tree.get("version").intValue(),
        Instant.parse(tree.get("occurredAt").textValue()),
        tree.get("aggregateId").textValue(),
        tree.get("correlationId").textValue(),
        causation == null ? null : UUID.fromString(causation.textValue()),
        tree.get("producer").textValue(),
        JsonTrees.object(tree.get("data")),
        null);
  }
}
