package io.ordermesh.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: requests start on a fixed schedule whatever the responses do, and each
 * latency is measured from when the request was due, not from when it was sent, so a stalled server
 * cannot hide its stall (no coordinated omission).
 */
public final class OpenLoop {

  private static final long MAX_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long TICK_MS = 1;

  private final Vertx vertx;

  public OpenLoop(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code request} at {@code ratePerSecond} for {@code duration}; completes when every answer is in. */
  public Future<Result> run(int ratePerSecond, Duration duration, Supplier<Future<Integer>> request) {
    return run(ratePerSecond, duration, due -> request.get());
  }

  /**
   * Like {@link #run(int, Duration, Supplier)}, but each request is told when it was due ({@link System#nanoTime()}
   * scale), so that what it starts (a saga, say) can also be timed from its due time.
   */
  public Future<Result> run(int ratePerSecond, Duration duration, LongFunction<Future<Integer>> request) {
    Histogram latencies = new Histogram(MAX_TRACKABLE_NANOS, 3);
    Promise<Result> done = Promise.promise();
    long start = System.nanoTime();
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    long total = Math.max(1, ratePerSecond * duration.toMillis() / 1000);
    long[] issued = {0};
    long[] finished = {0};
    long[] errors = {0};
    vertx.setPeriodic(TICK_MS, timer -> {
      long now = System.nanoTime();
      while (issued[0] < total && start + issued[0] * intervalNanos <= now) {
        long due = start + issued[0] * intervalNanos;
        issued[0]++;
        request.apply(due).onComplete(ar -> {
          latencies.recordValue(Math.min(MAX_TRACKABLE_NANOS, System.nanoTime() - due));
          if (ar.failed() || ar.result() >= 500) {
            errors[0]++;
          }
          if (++finished[0] == total) {
            done.complete(new Result(latencies, errors[0], Duration.ofNanos(System.nanoTime() - start)));
          }
        });
      }
      if (issued[0] >= total) {
        vertx.cancelTimer(timer);
      }
    });
    return done.future();
  }

  /** Latencies in nanoseconds, errors (5xx or no answer), and how long the run took. */
  public record Result(Histogram latencies, long errors, Duration elapsed) {

    public double p50Millis() {
      return latencies.getValueAtPercentile(50) / 1e6;
    }

    public double p99Millis() {
      return latencies.getValueAtPercentile(99) / 1e6;
    }

    public long count() {
      return latencies.getTotalCount();
    }
  }
}
