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
    vertx.cancelTimer(timerId);
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    db.pool().withTransaction(tx -> orders.lockOverdue(tx, BATCH)
            .compose(overdue -> cancelAll(tx, overdue)))
        .onFailure(error -> LOG.warn("deadline sweep failed, will retry: {}", error.getMessage()))
        .onComplete(ar -> sweeping = false);
  }

  private Future<Void> cancelAll(io.vertx.sqlclient.SqlConnection tx, List<OverdueOrder> overdue) {
    Future<Void> chain = Future.succeededFuture();
    for (OverdueOrder o : overdue) {
      chain = chain.compose(v -> lifecycle.cancel(tx, o.order(), CancellationReason.TIMEOUT, o.correlationId(), null, null));
    }
    return chain;
  }
}
