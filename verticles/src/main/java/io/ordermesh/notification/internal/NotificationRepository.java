package io.ordermesh.notification.internal;

import io.ordermesh.platform.timeline.Timeline;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** All SQL of the notification service. */
public final class NotificationRepository {

  private static final String INSERT = """
      INSERT INTO notifications (order_id, outcome, customer_id, payload, correlation_id, status)
      VALUES ($1, $2, $3, $4, $5, 'PENDING') ON CONFLICT (order_id, outcome) DO NOTHING""";
  private static final String CLAIM_DUE = """
      UPDATE notifications SET next_attempt_at = now() + make_interval(secs => $2)
      WHERE (order_id, outcome) IN (
          SELECT order_id, outcome FROM notifications
          WHERE status IN ('PENDING', 'PARKED') AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING order_id, outcome, customer_id, payload, correlation_id""";
  private static final String MARK_SENT = """
      UPDATE notifications SET status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = NULL
      FROM unnest($1::uuid[], $2::text[]) AS sent (order_id, outcome)
      WHERE notifications.order_id = sent.order_id AND notifications.outcome = sent.outcome""";
  /*
   * Parks a notification whose round failed: the wait doubles with every failed round ($4 the first,
   * $5 the longest), and the round $6 gives it up. `attempts` counts rounds, and on the right-hand side
   * it is the value before this one; the exponent stops at $7, long past the cap, so that the rounds of a
   * notification parked for ever by an older build (hundreds) cannot overflow an interval. A given-up
   * notification keeps the time it was given up in next_attempt_at (no attempt follows). A notification another instance has marked SENT meanwhile (it
   * claimed it again after this one's lease ran out) stays SENT.
   */
  private static final String PARK = """
      UPDATE notifications SET attempts = attempts + 1, last_error = $3,
             status = CASE WHEN attempts + 1 >= $6 THEN 'FAILED' ELSE 'PARKED' END,
             next_attempt_at = CASE WHEN attempts + 1 >= $6 THEN now()
               ELSE now() + make_interval(secs => least($4 * power(2, least(attempts, $7)), $5)) END
      WHERE order_id = $1 AND outcome = $2 AND status <> 'SENT'
      RETURNING status, attempts, extract(epoch FROM next_attempt_at - now())::float8 AS wait_seconds""";
  private static final int MAX_DOUBLINGS = 30;
  private static final String OUTCOMES = """
      SELECT order_id, outcome FROM notifications WHERE order_id = ANY($1)""";

  /** Records the notification of one order outcome; a second one for the same outcome is dropped. */
  public Future<Boolean> record(SqlConnection tx, UUID orderId, String outcome, String customerId, JsonObject payload,
      String correlationId) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(orderId, outcome, customerId, payload.encode(), correlationId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Claims due notifications for one delivery round: their next attempt moves {@code lease} ahead, so
   * no other instance picks them while this one is calling the provider.
   */
  public Future<List<Notification>> claimDue(SqlClient client, int limit, Duration lease) {
    return client.preparedQuery(CLAIM_DUE).execute(Tuple.of(limit, lease.toMillis() / 1000.0)).map(rows -> {
      List<Notification> due = new ArrayList<>();
      rows.forEach(r -> due.add(new Notification(r.getUUID("order_id"), r.getString("outcome"),
          r.getString("customer_id"), new JsonObject(r.getString("payload")), r.getString("correlation_id"))));
      return due;
    });
  }

  /** Marks the delivered notifications of a round SENT, in one statement. */
  public Future<Void> markSent(SqlClient client, List<Notification> delivered) {
    if (delivered.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] orders = delivered.stream().map(Notification::orderId).toArray(UUID[]::new);
    String[] outcomes = delivered.stream().map(Notification::outcome).toArray(String[]::new);
    // Not Tuple.of(orders, outcomes): its varargs would spread the second array into elements.
    return client.preparedQuery(MARK_SENT).execute(Tuple.tuple().addArrayOfUUID(orders).addArrayOfString(outcomes))
        .mapEmpty();
  }

  /**
   * Parks a notification after a failed round (or gives it up after {@code maxRounds}); answers what
   * became of it, or empty when it had been marked SENT meanwhile.
   */
  public Future<Optional<Parked>> park(SqlClient client, Notification n, String error, Duration parkFor, Duration parkCap,
      int maxRounds) {
    return client.preparedQuery(PARK)
        .execute(Tuple.of(n.orderId(), n.outcome(), error, parkFor.toMillis() / 1000.0, parkCap.toMillis() / 1000.0,
            maxRounds, MAX_DOUBLINGS))
        .map(rows -> {
          var it = rows.iterator();
          if (!it.hasNext()) {
            return Optional.empty();
          }
          var row = it.next();
          return Optional.of(new Parked("FAILED".equals(row.getString("status")), row.getInteger("attempts"),
              Math.round(row.getDouble("wait_seconds"))));
        });
  }

  private static final String TIMELINE = """
      SELECT outcome, status, created_at, sent_at, attempts, last_error, next_attempt_at FROM notifications
      WHERE order_id::text = $1""";

  /** Recorded and delivered notifications of an order, as timeline entries. */
  public Future<JsonArray> timeline(SqlClient client, String orderId) {
    return client.preparedQuery(TIMELINE).execute(Tuple.of(orderId)).map(rows -> {
      JsonArray entries = new JsonArray();
      rows.forEach(r -> {
        entries.add(Timeline.entry(r.getOffsetDateTime("created_at"), "notification", "notification",
            "recorded " + r.getString("outcome")));
        if (r.getOffsetDateTime("sent_at") != null) {
          entries.add(Timeline.entry(r.getOffsetDateTime("sent_at"), "notification", "notification",
              "sent " + r.getString("outcome") + " after " + r.getInteger("attempts") + " attempt(s)"));
        } else if ("FAILED".equals(r.getString("status"))) {
          entries.add(Timeline.entry(r.getOffsetDateTime("next_attempt_at"), "notification", "notification",
              "gave up on " + r.getString("outcome") + " after " + r.getInteger("attempts") + " failed rounds: "
                  + r.getString("last_error")));
        }
      });
      return entries;
    });
  }

  /** {@code {orderId:["CONFIRMED",…]}} for the given orders. */
  public Future<JsonObject> outcomes(SqlClient client, List<UUID> orderIds) {
    return client.preparedQuery(OUTCOMES).execute(Tuple.of(orderIds.toArray(UUID[]::new))).map(rows -> {
      JsonObject outcomes = new JsonObject();
      rows.forEach(r -> {
        String id = r.getUUID("order_id").toString();
        JsonArray list = outcomes.getJsonArray(id);
        if (list == null) {
          list = new JsonArray();
          outcomes.put(id, list);
        }
        list.add(r.getString("outcome"));
      });
      return outcomes;
    });
  }

  /** One notification to deliver. Its id, {@code orderId:outcome}, is the provider's idempotency key. */
  public record Notification(UUID orderId, String outcome, String customerId, JsonObject payload,
      String correlationId) {

    public String id() {
      return orderId + ":" + outcome;
    }
  }

  /** What a failed round left: given up for good, or parked; after how many rounds; the wait until the next. */
  public record Parked(boolean givenUp, int rounds, long waitSeconds) {
  }
}
