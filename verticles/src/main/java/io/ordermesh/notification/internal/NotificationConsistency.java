package io.ordermesh.notification.internal;

import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** {@code notifications.consistency}: which outcomes of the given orders have their notification. */
public final class NotificationConsistency {

  private final Database db;
  private final NotificationRepository notifications;

  public NotificationConsistency(Database db, NotificationRepository notifications) {
    this.db = db;
    this.notifications = notifications;
  }

  public Future<JsonObject> handle(Message<JsonObject> message) {
    JsonArray ids = message.body() == null ? new JsonArray() : message.body().getJsonArray("orderIds", new JsonArray());
    return notifications.outcomes(db.pool(), ids.stream().map(String.class::cast).map(UUID::fromString).toList())
        .map(outcomes -> new JsonObject().put("notifications", outcomes));
  }
}
