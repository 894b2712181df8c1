package io.ordermesh.order.internal;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.order.internal.OrderRepository.OverdueOrder;
import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
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
  /** Sweep often enough that an order is cancelled within a tenth of its deadline after it. */
  private static final int SWEEPS_PER_DEADLINE = 10;

  private final Vertx vertx;
  private final Database db;
  private final OrderRepository orders;
  private final OrderLifecycle lifecycle;
  private final Duration interval;
  private long timerId = -1;
  private boolean sweeping;
  private boolean stopped;

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

  public void stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
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
    sweepUntilCaughtUp()
        .onFailure(error -> LOG.warn("deadline sweep failed, will retry: {}", error.getMessage()))
        .onComplete(ar -> sweeping = false);
  }

  /** Batches, one transaction each, one after the other while they come back full; answers how many were cancelled. */
  Future<Integer> sweepUntilCaughtUp() {
    return sweepBatch().compose(cancelled -> cancelled == BATCH && !stopped
        ? sweepUntilCaughtUp().map(more -> cancelled + more)
        : Future.succeededFuture(cancelled));
  }

  private Future<Integer> sweepBatch() {
    return db.pool().withTransaction(tx -> orders.lockOverdue(tx, BATCH)
        .compose(overdue -> cancelAll(tx, overdue).map(overdue.size())));
  }

  private Future<Void> cancelAll(io.vertx.sqlclient.SqlConnection tx, List<OverdueOrder> overdue) {
    Future<Void> chain = Future.succeededFuture();
    for (OverdueOrder o : overdue) {
      chain = chain.compose(v -> lifecycle.cancel(tx, o.order(), CancellationReason.TIMEOUT, o.correlationId(), null, null));
    }
    return chain;
  }
}
