package io.ordermesh.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Validates events against the JSON Schemas (draft 2020-12) under {@code events/} on the classpath:
 * the envelope, then the {@code data} of the event's type and version, formats (uuid, date-time)
 * asserted. Consumers use {@link #parse} so that an invalid or unknown-version event becomes an
 * {@link InvalidEventException} (and a DLQ record), never a half-applied effect.
 *
 * <p>Every consumed record passes through here, so the validator is chosen for speed: compiled
 * schemas over a Jackson tree, a few microseconds per event.
 */
public final class EventSchemas {

  static final String ENVELOPE_SCHEMA = "events/envelope.v1.json";
  private static final String BYTE_ORDER_MARK = "\uFEFF";
  /** Strict: one JSON document and nothing after it. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

  private static final Schema ENVELOPE = schema(ENVELOPE_SCHEMA);
  private static final Map<String, Schema> DATA_SCHEMAS = new ConcurrentHashMap<>();

  private EventSchemas() {
  }

  /** Parses and validates one event; throws {@link InvalidEventException} with a reason otherwise. */
  public static EventEnvelope parse(Buffer payload) {
    return parse(() -> JSON.readTree(payload.getBytes()));
  }

  /**
   * As {@link #parse(Buffer)}, for a record consumed as text: read as it is, not encoded back to bytes.
   * A leading byte-order mark is skipped, as Jackson skips it in bytes (Kafka's string deserializer
   * keeps it).
   */
  public static EventEnvelope parse(String payload) {
    if (payload == null) {
      throw InvalidEventException.malformed("no payload");
    }
    String text = payload.startsWith(BYTE_ORDER_MARK) ? payload.substring(1) : payload;
    return parse(() -> JSON.readTree(text));
  }

  private static EventEnvelope parse(JsonReader reader) {
    JsonNode tree;
    try {
      tree = reader.read();
    } catch (IOException e) {
      throw InvalidEventException.malformed("not JSON: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw InvalidEventException.malformed("not a JSON object");
    }
    EventType type = validate(tree);
    try {
      return EventEnvelope.fromValidTree(tree, type);
    } catch (RuntimeException e) {
      // The schema's formats are looser than Java's parsers in corners (a date-time with a space for
      // the T): whatever Java cannot read is as malformed as what the schema refuses.
      throw InvalidEventException.malformed("valid by the schema but unreadable: " + e);
    }
  }

  @FunctionalInterface
  private interface JsonReader {
    JsonNode read() throws IOException;
  }

  public static EventEnvelope parse(JsonObject json) {
    return parse(json.toBuffer());
  }

  /** Validates an envelope a producer is about to write; used by tests and by the outbox in debug. */
  public static void requireValid(EventEnvelope envelope) {
    parse(envelope.toJson());
  }

  /** The envelope, its type and version, then its data: answers the type of a valid event. */
  private static EventType validate(JsonNode tree) {
    requireValid(ENVELOPE, tree, "MALFORMED", "");
    String typeName = tree.get("type").asText();
    EventType type = EventType.fromWireName(typeName)
        .orElseThrow(() -> new InvalidEventException("UNKNOWN_TYPE", "unknown event type " + typeName));
    requireValid(dataSchema(type, tree.get("version").asInt()), tree.get("data"), "SCHEMA", "/data");
    requireAboutItsAggregate(tree);
    return type;
  }

  /**
   * Every event is about one order, and says so twice: {@code aggregateId} (what consumers key their
   * lanes and batches on) and {@code data.orderId} (what handlers act on). An event whose two differ
   * would be ordered as one order and applied as another, so it is refused like any malformed one.
   */
  private static void requireAboutItsAggregate(JsonNode tree) {
    String aggregate = tree.get("aggregateId").asText();
    JsonNode order = tree.get("data").get("orderId");
    if (order == null || !aggregate.equalsIgnoreCase(order.asText())) {
      throw InvalidEventException.malformed("aggregateId " + aggregate + " is not the event's order ("
          + (order == null ? "none" : order.asText()) + ")");
    }
  }

  private static Schema dataSchema(EventType type, int version) {
    String resource = type.schemaResource(version);
    Schema compiled = DATA_SCHEMAS.get(resource);
    if (compiled != null) {
      // The common case, every consumed record: a classpath lookup per event cost more than the map.
      return compiled;
    }
    if (EventSchemas.class.getClassLoader().getResource(resource) == null) {
      throw new InvalidEventException("UNKNOWN_VERSION", type.wireName() + " has no version " + version);
    }
    return DATA_SCHEMAS.computeIfAbsent(resource, EventSchemas::schema);
  }

  /** @param location where {@code json} sits in the event, so that errors name the field from the top */
  private static void requireValid(Schema schema, JsonNode json, String reason, String location) {
    List<Error> errors = schema.validate(json);
    if (!errors.isEmpty()) {
      throw new InvalidEventException(reason, errors.stream().map(e -> location + e).collect(Collectors.joining("; ")));
    }
  }

  static Schema schema(String resource) {
    try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema missing from classpath: " + resource);
      }
      return REGISTRY.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
