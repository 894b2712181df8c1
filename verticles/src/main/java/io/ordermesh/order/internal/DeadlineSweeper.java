package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.order.internal.OrderRepository.OverdueOrder;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
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
    return db.pool().withTransaction(tx -> orders.lockOverdue(tx, BATCH)
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
      chain = chain.compose(cancelled -> cancelAlone(o).map(done -> done ? cancelled + 1 : cancelled));
    }
    return chain;
  }

  /** Answers whether the order was cancelled: not when it moved on meanwhile, or when its cancellation failed. */
  private Future<Boolean> cancelAlone(OverdueOrder claimed) {
    return db.pool().withTransaction(tx -> orders.lockOverdue(tx, claimed.order().orderId())
            .compose(still -> still.isEmpty() ? Future.succeededFuture(false) : cancel(tx, still.get()).map(true)))
        .recover(error -> {
          LogContext.of(OrderAddresses.SERVICE, claimed.correlationId()).order(claimed.order().orderId())
              .error(LOG, "order {} is past its deadline but could not be cancelled; the next sweep tries again: {}",
                  claimed.order().orderId(), error.getMessage());
          return Future.succeededFuture(false);
        });
  }

  private Future<Void> cancel(SqlConnection tx, OverdueOrder o) {
    return lifecycle.cancel(tx, o.order(), CancellationReason.TIMEOUT, o.correlationId(), null, null);
  }
}
