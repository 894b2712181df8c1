package io.ordermesh.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: requests start on a fixed schedule whatever the responses do, and each
 * latency is measured from when the request was due, not from when it was sent, so a stalled server
 * cannot hide its stall (no coordinated omission).
 *
 * <p>A pacing thread of its own wakes at each due time and hands the requests then due to the
 * run's Vert.x context. A periodic 1 ms timer on the event loop, as this used to be, sent each request
 * up to a millisecond after it was due, and that lateness was charged to the server: about half a
 * millisecond at p50, more at p99, which at 100 requests/s was most of what a cached route costs.
 */
public final class OpenLoop {

  private static final long MAX_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(1);

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
    Schedule schedule = new Schedule(System.nanoTime(), TimeUnit.SECONDS.toNanos(1) / ratePerSecond,
        Math.max(1, ratePerSecond * duration.toMillis() / 1000));
    Run run = new Run(schedule, request, vertx.getOrCreateContext());
    Thread pacer = new Thread(run::pace, "open-loop-pacer");
    pacer.setDaemon(true);
    pacer.start();
    return run.done.future();
  }

  /** Request {@code i} is due at {@code start + i * intervalNanos}; {@code total} requests in all. */
  private record Schedule(long start, long intervalNanos, long total) {

    long dueAt(long i) {
      return start + i * intervalNanos;
    }

    /** How many requests are due by {@code now}. */
    long dueBy(long now) {
      return Math.min(total, (now - start) / intervalNanos + 1);
    }
  }

  /** One run: the pacing thread decides when; everything else happens on the run's context. */
  private static final class Run {

    private final Schedule schedule;
    private final LongFunction<Future<Integer>> request;
    private final Context context;
    private final Histogram latencies = new Histogram(MAX_TRACKABLE_NANOS, 3);
    private final Promise<Result> done = Promise.promise();
    private long finished;
    private long errors;

    Run(Schedule schedule, LongFunction<Future<Integer>> request, Context context) {
      this.schedule = schedule;
      this.request = request;
      this.context = context;
    }

    /** On the pacing thread: sleeps until the next request is due, then hands over all that are due. */
    void pace() {
      long next = 0;
      try {
        while (next < schedule.total()) {
          long wait = schedule.dueAt(next) - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
            continue;
          }
          long from = next;
          long to = schedule.dueBy(System.nanoTime());
          context.runOnContext(v -> issue(from, to));
          next = to;
        }
      } catch (RuntimeException e) {
        // Vert.x closed under the run and refuses the hand-over: the run ends failed rather than never.
        done.tryFail(e);
      }
    }

    private void issue(long from, long to) {
      for (long i = from; i < to; i++) {
        long due = schedule.dueAt(i);
        Future<Integer> answer;
        try {
          answer = request.apply(due);
        } catch (RuntimeException e) {
          answer = Future.failedFuture(e);
        }
        answer.onComplete(ar -> record(due, ar.failed() || ar.result() >= 500));
      }
    }

    private void record(long due, boolean failed) {
      latencies.recordValue(Math.min(MAX_TRACKABLE_NANOS, System.nanoTime() - due));
      if (failed) {
        errors++;
      }
      if (++finished == schedule.total()) {
        done.tryComplete(new Result(latencies, errors, Duration.ofNanos(System.nanoTime() - schedule.start())));
      }
    }
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
