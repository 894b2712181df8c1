package io.ordermesh.platform.faults;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * An injected fault: a service's event-bus addresses are slow (delay, then deliver), failing (answer
 * UNAVAILABLE) or silent (never answer) until {@code untilEpochMs}.
 */
public record Fault(String id, String service, Mode mode, long delayMs, long untilEpochMs) {

  /** What the fault does to each request to the service. */
  public enum Mode {
    SLOW, FAIL, SILENT;

    public static Mode parse(String text) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("mode must be one of silent, fail, slow, but was " + text);
      }
    }
  }

  public boolean activeAt(long epochMs) {
    return epochMs < untilEpochMs;
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("service", service).put("mode", mode.name().toLowerCase(Locale.ROOT))
        .put("delayMs", delayMs).put("until", java.time.Instant.ofEpochMilli(untilEpochMs).toString())
        .put("untilEpochMs", untilEpochMs);
  }

  public static Fault fromJson(JsonObject json) {
    return new Fault(json.getString("id"), json.getString("service"), Mode.parse(json.getString("mode")),
        json.getLong("delayMs", 0L), json.getLong("untilEpochMs"));
  }
}
