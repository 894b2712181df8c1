package io.ordermesh.notification.internal;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** All SQL of the notification service. */
public final class NotificationRepository {

  private static final String INSERT = """
      INSERT INTO notifications (order_id, outcome, customer_id, payload, correlation_id, status)
      VALUES ($1, $2, $3, $4, $5, 'PENDING') ON CONFLICT (order_id, outcome) DO NOTHING""";

  /** Records the notification of one order outcome; a second one for the same outcome is dropped. */
  public Future<Boolean> record(SqlConnection tx, UUID orderId, String outcome, String customerId, JsonObject payload,
      String correlationId) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(orderId, outcome, customerId, payload.encode(), correlationId))
        .map(rows -> rows.rowCount() == 1);
  }
}
