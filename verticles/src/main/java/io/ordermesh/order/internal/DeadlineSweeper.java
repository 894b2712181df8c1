package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.order.internal.OrderRepository.OverdueOrder;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.db.DatabaseFailures;
import io.ordermesh.platform.logging.FailureStreak;
import io.ordermesh.platform.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels orders still PENDING past their saga deadline with reason TIMEOUT. Deadlines live in the
 * order rows, so they survive restarts; rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so
 * several order services never time out one order twice.
 */
public final class DeadlineSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(DeadlineSweeper.class);
  private static final int BATCH = 100;
  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_INTERVAL = Duration.ofSeconds(1);
  /**
   * An order whose cancellation the database refused (a bug, a constraint) waits this long before it is
   * claimed again: its error is logged once a minute rather than every sweep, and a batch of such
   * orders cannot keep the orders behind them from being reached.
   */
  private static final Duration HOLD_BACK = Duration.ofMinutes(1);
  /** Sweep often enough that an order is cancelled within a tenth of its deadline after it. */
  private static final int SWEEPS_PER_DEADLINE = 10;

  private final Vertx vertx;
  private final Database db;
  private final OrderRepository orders;
  private final OrderLifecycle lifecycle;
  private final Duration interval;
  /** Orders whose cancellation the database refused, and until when ({@link System#nanoTime()}) they wait. */
  private final Map<UUID, Long> heldBack = new HashMap<>();
  private final FailureStreak streak = new FailureStreak(LOG, "deadline sweep", Defaults.FAILURE_REPORT_INTERVAL);
  private long timerId = -1;
  private boolean sweeping;
  private boolean stopped;
  private Future<Integer> currentSweep = Future.succeededFuture(0);

  public DeadlineSweeper(Vertx vertx, Database db, OrderRepository orders, OrderLifecycle lifecycle, Duration deadline) {
    this.vertx = vertx;
    this.db = db;
    this.orders = orders;
    this.lifecycle = lifecycle;
    Duration fraction = deadline.dividedBy(SWEEPS_PER_DEADLINE);
    this.interval = fraction.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL
        : fraction.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : fraction;
  }

  public void start() {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> sweep());
  }

  /** Starts no further sweep; completes when the one in progress has ended (its transaction with it). */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    return currentSweep.<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * One batch at a time; a full batch means a backlog (a dependency was down for a while), so the next
   * one starts at once rather than on the timer, and a backlog of N orders takes N / BATCH transactions,
   * not N / BATCH intervals.
   */
  private void sweep() {
    if (sweeping || stopped) {
      return;
    }
    sweeping = true;
    currentSweep = sweepUntilCaughtUp()
        .onFailure(streak::failed)
        .onSuccess(cancelled -> streak.succeeded())
        .onComplete(ar -> sweeping = false);
  }

  /**
   * Batches one after the other while they come back full and cancelled something (a batch of orders
   * that all fail to cancel would otherwise be claimed again at once, for ever); answers how many were
   * cancelled.
   */
  Future<Integer> sweepUntilCaughtUp() {
    return sweepBatch().compose(swept -> swept.claimed() == BATCH && swept.cancelled() > 0 && !stopped
        ? sweepUntilCaughtUp().map(more -> swept.cancelled() + more)
        : Future.succeededFuture(swept.cancelled()));
  }

  /**
   * The batch in one transaction; if that fails after its orders were claimed, each of them in a
   * transaction of its own, so that one order whose cancellation keeps failing (a bug, a constraint)
   * does not hold back the others of its batch every sweep.
   */
  private Future<Swept> sweepBatch() {
    List<OverdueOrder> claimed = new ArrayList<>();
    return db.pool().withTransaction(tx -> orders.lockOverdue(tx, BATCH, stillHeldBack())
            .onSuccess(claimed::addAll)
            .compose(overdue -> cancelAll(tx, overdue).map(new Swept(overdue.size(), overdue.size()))))
        .recover(error -> claimed.isEmpty()
            ? Future.failedFuture(error)
            : cancelOneByOne(claimed, error).map(cancelled -> new Swept(claimed.size(), cancelled)));
  }

  /** How many overdue orders a batch claimed, and how many of them it cancelled. */
  private record Swept(int claimed, int cancelled) {
  }

  private Future<Void> cancelAll(SqlConnection tx, List<OverdueOrder> overdue) {
    Future<Void> chain = Future.succeededFuture();
    for (OverdueOrder o : overdue) {
      chain = chain.compose(v -> cancel(tx, o));
    }
    return chain;
  }

  private Future<Integer> cancelOneByOne(List<OverdueOrder> claimed, Throwable batchFailure) {
    LOG.warn("deadline sweep of {} orders failed ({}); cancelling them one by one", claimed.size(),
        batchFailure.getMessage());
    Future<Integer> chain = Future.succeededFuture(0);
    for (OverdueOrder o : claimed) {
      chain = chain.compose(cancelled -> stopped
          ? Future.succeededFuture(cancelled)
          : cancelAlone(o).map(done -> done ? cancelled + 1 : cancelled));
    }
    return chain;
  }

  /**
   * Answers whether the order was cancelled: not when it moved on meanwhile, or when the database refused
   * its cancellation (then it is held back for {@link #HOLD_BACK}). Any other failure (the database out
   * of reach) ends the one-by-one pass: the next sweep tries them all again.
   */
  private Future<Boolean> cancelAlone(OverdueOrder claimed) {
    UUID orderId = claimed.order().orderId();
    return db.pool().withTransaction(tx -> orders.lockIfOverdue(tx, orderId)
            .compose(still -> still.isEmpty() ? Future.succeededFuture(false) : cancel(tx, still.get()).map(true)))
        .recover(error -> {
          if (!DatabaseFailures.isRefusal(error)) {
            return Future.failedFuture(error);
          }
          heldBack.put(orderId, System.nanoTime() + HOLD_BACK.toNanos());
          LogContext.of(OrderAddresses.SERVICE, claimed.correlationId()).order(orderId)
              .error(LOG, "order {} is past its deadline but the database refused its cancellation; tried again"
                  + " in {} s: {}", orderId, HOLD_BACK.toSeconds(), String.valueOf(error));
          return Future.succeededFuture(false);
        });
  }

  /** The orders still held back; those whose wait is over are forgotten. */
  private UUID[] stillHeldBack() {
    long now = System.nanoTime();
    heldBack.values().removeIf(until -> until - now <= 0);
    return heldBack.keySet().toArray(UUID[]::new);
  }

  private Future<Void> cancel(SqlConnection tx, OverdueOrder o) {
    return lifecycle.cancel(tx, o.order(), CancellationReason.TIMEOUT, o.correlationId(), null, null);
  }
}
