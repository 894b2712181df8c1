package io.ordermesh.platform.resilience;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retries an idempotent async call on transient failures only, with {@link Backoff} between attempts
 * and within a {@link RetryBudget}. A failure that {@code isTransient} rejects (a 4xx, an open
 * breaker), or a spent budget, ends the retries at once.
 */
public final class Retry {

  private final Vertx vertx;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Predicate<Throwable> isTransient;
  private final RetryBudget budget;
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong retriesDenied = new AtomicLong();

  public Retry(Vertx vertx, int maxAttempts, Backoff backoff, Predicate<Throwable> isTransient, RetryBudget budget) {
    this.vertx = vertx;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.isTransient = isTransient;
    this.budget = budget;
  }

  public <T> Future<T> call(Supplier<Future<T>> attempt) {
    budget.recordCall();
    return call(attempt, 1);
  }

  private <T> Future<T> call(Supplier<Future<T>> attempt, int number) {
    return attempt.get().recover(error -> {
      if (number >= maxAttempts || !isTransient.test(error)) {
        return Future.failedFuture(error);
      }
      if (!budget.tryRetry()) {
        retriesDenied.incrementAndGet();
        return Future.failedFuture(error);
      }
      retries.incrementAndGet();
      long delay = backoff.delayBefore(number).toMillis();
      return (delay == 0 ? Future.succeededFuture(0L) : vertx.timer(delay)).compose(v -> call(attempt, number + 1));
    });
  }

  /** Attempts made after a first one failed. */
  public AtomicLong retries() {
    return retries;
  }

  /** Retries the budget refused. */
  public AtomicLong retriesDenied() {
    return retriesDenied;
  }
}
