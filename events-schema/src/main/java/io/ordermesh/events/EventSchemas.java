package io.ordermesh.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Validates events against the JSON Schemas under {@code events/} on the classpath: the envelope,
 * then the {@code data} of the event's type and version. Consumers use {@link #parse} so that an
 * invalid or unknown-version event becomes an {@link InvalidEventException} (and a DLQ record),
 * never a half-applied effect.
 */
public final class EventSchemas {

  static final String ENVELOPE_SCHEMA = "events/envelope.v1.json";
  private static final JsonSchemaOptions OPTIONS =
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setOutputFormat(OutputFormat.Basic).setBaseUri("https://ordermesh.io/schemas/");

  private static final Validator ENVELOPE = validator(ENVELOPE_SCHEMA);
  private static final Map<String, Validator> DATA_VALIDATORS = new ConcurrentHashMap<>();

  private EventSchemas() {
  }

  /** Parses and validates one event; throws {@link InvalidEventException} with a reason otherwise. */
  public static EventEnvelope parse(Buffer payload) {
    JsonObject json;
    try {
      json = payload.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw InvalidEventException.malformed("not a JSON object: " + e.getMessage());
    }
    return parse(json);
  }

  public static EventEnvelope parse(JsonObject json) {
    requireValid(ENVELOPE, json, "MALFORMED");
    String typeName = json.getString("type");
    EventType type = EventType.fromWireName(typeName)
        .orElseThrow(() -> new InvalidEventException("UNKNOWN_TYPE", "unknown event type " + typeName));
    int version = json.getInteger("version");
    Validator data = dataValidator(type, version);
    requireValid(data, json.getJsonObject("data"), "SCHEMA");
    return EventEnvelope.fromValidJson(json, type);
  }

  /** Validates an envelope a producer is about to write; used by tests and by the outbox in debug. */
  public static void requireValid(EventEnvelope envelope) {
    parse(envelope.toJson());
  }

  private static Validator dataValidator(EventType type, int version) {
    String resource = type.schemaResource(version);
    if (EventSchemas.class.getClassLoader().getResource(resource) == null) {
      throw new InvalidEventException("UNKNOWN_VERSION", type.wireName() + " has no version " + version);
    }
    return DATA_VALIDATORS.computeIfAbsent(resource, EventSchemas::validator);
  }

  private static void requireValid(Validator validator, Object json, String reason) {
    OutputUnit result = validator.validate(json);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw new InvalidEventException(reason, describe(result));
    }
  }

  private static String describe(OutputUnit result) {
    if (result.getErrors() == null || result.getErrors().isEmpty()) {
      return String.valueOf(result.getError());
    }
    return result.getErrors().stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getError())
        .collect(Collectors.joining("; "));
  }

  static Validator validator(String resource) {
    return Validator.create(JsonSchema.of(load(resource)), OPTIONS);
  }

  static JsonObject load(String resource) {
    try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema missing from classpath: " + resource);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
