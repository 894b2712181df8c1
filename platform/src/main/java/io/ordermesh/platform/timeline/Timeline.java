package io.ordermesh.platform.timeline;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;

/**
 * One service's part of an order's timeline: every event of the order it consumed, when, and under
 * which consumer. Services add their own state changes; the gateway merges all parts in time order.
 */
public final class Timeline {

  private static final String ADDRESS_PREFIX = "ordermesh.timeline.";
  private static final String CONSUMED = """
      SELECT consumer, event_id, event_type, processed_at FROM inbox WHERE aggregate_id = $1 ORDER BY processed_at""";

  private Timeline() {
  }

  /** Where a service answers {@code {"orderId"}} with {@code {"entries":[{"at","service","kind","what",…}]}}. */
  public static String address(String service) {
    return ADDRESS_PREFIX + service;
  }

  public static Future<JsonArray> consumedEvents(SqlClient client, String service, String orderId) {
    return client.preparedQuery(CONSUMED).execute(Tuple.of(orderId)).map(rows -> {
      JsonArray entries = new JsonArray();
      rows.forEach(r -> entries.add(entry(r.getOffsetDateTime("processed_at"), service, "consumed",
          r.getString("event_type")).put("eventId", r.getUUID("event_id").toString()).put("consumer",
          r.getString("consumer"))));
      return entries;
    });
  }

  public static JsonObject entry(java.time.OffsetDateTime at, String service, String kind, String what) {
    return new JsonObject()
        .put("at", at.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString())
        .put("service", service)
        .put("kind", kind)
        .put("what", what);
  }
}
