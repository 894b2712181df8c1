package io.ordermesh.notification.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.notification.internal.NotificationRepository.Notification;
import io.ordermesh.notification.internal.NotificationRepository.Parked;
import io.ordermesh.platform.db.Database;
import io.ordermesh.testing.MigratedSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A notification whose rounds keep failing waits twice as long after each, up to a cap, and is given
 * up after a bounded number of rounds instead of being tried for ever; one delivered meanwhile by
 * another instance stays delivered. On real PostgreSQL.
 */
class NotificationParkingTest {

  private static final Duration PARK_FOR = Duration.ofSeconds(30);
  private static final Duration PARK_CAP = Duration.ofMinutes(5);
  private static final int MAX_ROUNDS = 6;
  private static final Duration LEASE = Duration.ofSeconds(20);

  private final NotificationRepository notifications = new NotificationRepository();
  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("notifications", "db/notification");
  private Vertx vertx;
  private Database db;

  @BeforeEach
  void migrate() {
    vertx = schema.vertx();
    db = schema.db();
  }


  @Test
  void waitsTwiceAsLongAfterEachFailedRoundUpToTheCapThenGivesUp() {
    Notification n = recorded();
    List<Parked> rounds = new ArrayList<>();
    for (int i = 0; i < MAX_ROUNDS; i++) {
      rounds.add(park(n).orElseThrow());
    }

    assertThat(rounds.stream().map(Parked::waitSeconds).limit(MAX_ROUNDS - 1))
        .as("30 s, doubling, never above 300 s").containsExactly(30L, 60L, 120L, 240L, 300L);
    assertThat(rounds.stream().map(Parked::givenUp)).containsExactly(false, false, false, false, false, true);
    assertThat(status(n)).isEqualTo("FAILED");
    assertThat(join(notifications.timeline(db.pool(), n.orderId().toString())).stream()
        .map(e -> ((JsonObject) e).getString("what")))
        .contains("gave up on CONFIRMED after 6 failed rounds: provider answered 422");
    makeDue(n);
    assertThat(join(notifications.claimDue(db.pool(), 10, LEASE))).as("a given-up notification is not tried again")
        .isEmpty();
  }

  @Test
  void aNotificationParkedForEverByAnOlderBuildIsGivenUpAtItsNextFailure() {
    Notification n = recorded();
    join(db.pool().preparedQuery("UPDATE notifications SET status = 'PARKED', attempts = 2000 WHERE order_id = $1")
        .execute(Tuple.of(n.orderId())));

    assertThat(park(n).orElseThrow().givenUp()).isTrue();
    assertThat(status(n)).isEqualTo("FAILED");
  }

  @Test
  void aNotificationDeliveredMeanwhileStaysSentWhenALateFailureIsReported() {
    Notification n = recorded();
    join(notifications.markSent(db.pool(), List.of(n)));

    assertThat(park(n)).isEmpty();
    assertThat(status(n)).isEqualTo("SENT");
  }

  private Notification recorded() {
    UUID orderId = UUID.randomUUID();
    join(db.pool().withTransaction(tx -> notifications.record(tx, orderId, "CONFIRMED", "alice",
        new JsonObject().put("subject", "confirmed"), "corr")));
    List<Notification> due = join(notifications.claimDue(db.pool(), 10, LEASE));
    assertThat(due).extracting(Notification::orderId).containsExactly(orderId);
    return due.get(0);
  }

  private Optional<Parked> park(Notification n) {
    return join(notifications.park(db.pool(), n, "provider answered 422", PARK_FOR, PARK_CAP, MAX_ROUNDS));
  }

  private void makeDue(Notification n) {
    join(db.pool().preparedQuery("UPDATE notifications SET next_attempt_at = now() WHERE order_id = $1")
        .execute(Tuple.of(n.orderId())));
  }

  private String status(Notification n) {
    return join(db.pool().preparedQuery("SELECT status FROM notifications WHERE order_id = $1")
        .execute(Tuple.of(n.orderId()))).iterator().next().getString("status");
  }
}
