package io.ordermesh.notification.internal;

import io.ordermesh.notification.internal.NotificationRepository.Notification;
import io.ordermesh.notification.internal.NotificationRepository.Parked;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.NotificationConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.logging.FailureStreak;
import io.ordermesh.platform.logging.LogContext;
import io.micrometer.core.instrument.Counter;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers recorded notifications: claims the due ones (new, or parked and due again), calls the
 * provider, parks each that failed for a later round and marks the round's delivered ones SENT together. A notification is recorded once per
 * order outcome, so however often delivery is retried, the customer hears of each outcome once.
 */
public final class NotificationDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);
  private static final Duration ROUND_INTERVAL = Duration.ofMillis(200);
  private final FailureStreak streak = new FailureStreak(LOG, "notification round", Defaults.FAILURE_REPORT_INTERVAL);
  private static final int ROUND_SIZE = 32;
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  static final String DELIVERIES = "ordermesh.notification.deliveries";

  private final Vertx vertx;
  private final Database db;
  private final NotificationRepository notifications;
  private final ProviderClient provider;
  private final NotificationConfig config;
  private final Duration lease;
  private final Counter sentCount = outcomes("sent", "delivered and marked SENT");
  private final Counter parkedCount = outcomes("parked", "failed a round, parked for a later one");
  private final Counter failedCount = outcomes("failed", "failed its last round, given up (FAILED)");
  private long timerId = -1;
  private boolean delivering;
  private boolean stopped;
  /** The round in progress, or the last one. */
  private Future<?> round = Future.succeededFuture();

  public NotificationDispatcher(Vertx vertx, Database db, NotificationRepository notifications,
      ProviderClient provider, NotificationConfig config) {
    this.vertx = vertx;
    this.db = db;
    this.notifications = notifications;
    this.provider = provider;
    this.config = config;
    // Long enough for every attempt and backoff of one delivery, so no other instance claims it meanwhile.
    this.lease = config.timeout().plus(config.backoffCap()).multipliedBy(config.maxAttempts() + 1L);
  }

  /** Delivery outcomes as one counter, by outcome: an alert on {@code failed} needs no log search. */
  private static Counter outcomes(String outcome, String description) {
    return Counter.builder(DELIVERIES).tag("outcome", outcome)
        .description("Notification deliveries by outcome: " + description).register(Metrics.registry());
  }

  public void start() {
    timerId = vertx.setPeriodic(ROUND_INTERVAL.toMillis(), id -> deliverDue());
  }

  /**
   * Starts no further round and completes when the one in progress has marked what it delivered (or
   * after {@link #STOP_WAIT}): stopped before its mark, a round's deliveries would be made again once
   * their lease ran out.
   */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    return round.<Void>mapEmpty().otherwiseEmpty().timeout(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS).otherwiseEmpty();
  }

  /** One round at a time; a full round means a backlog, so the next round starts at once, not on the timer. */
  private void deliverDue() {
    if (delivering || stopped) {
      return;
    }
    delivering = true;
    round = notifications.claimDue(db.pool(), ROUND_SIZE, lease)
        .compose(this::deliverAll)
        .onFailure(streak::failed)
        .onSuccess(full -> streak.succeeded())
        .onComplete(ar -> {
          delivering = false;
          if (ar.succeeded() && ar.result()) {
            deliverDue();
          }
        });
  }

  /**
   * Answers whether the round was full. A crash before the round's mark leaves its notifications
   * claimed until their lease ends; they are then delivered again under the same idempotency key.
   */
  private Future<Boolean> deliverAll(List<Notification> due) {
    List<Future<Optional<Notification>>> attempts = due.stream().map(this::deliver).toList();
    return Future.join(attempts)
        .compose(v -> {
          List<Notification> delivered = attempts.stream().map(Future::result).flatMap(Optional::stream).toList();
          return notifications.markSent(db.pool(), delivered).onSuccess(marked -> {
            sentCount.increment(delivered.size());
            delivered.forEach(n -> LogContext.of("notification", n.correlationId()).order(n.orderId())
                .debug(LOG, "notification {} delivered", n.id()));
          });
        })
        .map(v -> due.size() == ROUND_SIZE);
  }

  /**
   * Answers the notification once the provider took it, or empty when it failed (parked for later).
   * A park that fails too costs only this notification: it stays claimed until its lease ends and is
   * tried again then, while the round's delivered ones are still marked.
   */
  private Future<Optional<Notification>> deliver(Notification n) {
    return provider.deliver(n)
        .map(v -> Optional.of(n))
        .recover(error -> {
          LogContext log = LogContext.of("notification", n.correlationId()).order(n.orderId());
          return notifications.park(db.pool(), n, error.getMessage(), config.parkFor(), Defaults.NOTIFICATION_PARK_CAP,
                  Defaults.NOTIFICATION_MAX_ROUNDS)
              .onSuccess(parked -> parked.ifPresent(p -> report(log, n, p, error)))
              .onFailure(parkError -> log.warn(LOG, "notification {} could not be parked, retried after its lease: {}",
                  n.id(), String.valueOf(parkError)))
              .otherwiseEmpty()
              .map(Optional.empty());
        });
  }

  private void report(LogContext log, Notification n, Parked parked, Throwable error) {
    (parked.givenUp() ? failedCount : parkedCount).increment();
    if (parked.givenUp()) {
      log.error(LOG, "notification {} given up after {} failed rounds; last error: {}", n.id(), parked.rounds(),
          String.valueOf(error));
    } else {
      log.warn(LOG, "notification {} parked for {} s after {} failed round(s): {}", n.id(), parked.waitSeconds(),
          parked.rounds(), String.valueOf(error));
    }
  }
}
