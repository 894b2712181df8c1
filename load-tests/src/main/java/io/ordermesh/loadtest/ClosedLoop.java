package io.ordermesh.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator for maximum throughput: {@code workers} loops each send a request, wait
 * for its answer, and send the next. Only answers that arrive inside the measured window (after the
 * warm-up) count. Latency is each request's service time, which is what a closed loop can honestly
 * say at saturation: it cannot show what a request arriving on a schedule would have waited (use
 * {@link OpenLoop} for that).
 *
 * <p>Run it from one event loop (a verticle's context): its counters are not thread-safe.
 */
public final class ClosedLoop {

  /** After a failure a worker pauses this long, so a dead server does not turn the loop into a spin. */
  private static final long FAILURE_PAUSE_MS = 1;

  private final Vertx vertx;

  public ClosedLoop(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs until warm-up plus duration are over and every worker's last request is answered. */
  public Future<Result> run(int workers, Duration warmup, Duration duration, Supplier<Future<Integer>> request) {
    long start = System.nanoTime();
    Window window = new Window(start + warmup.toNanos(), start + warmup.toNanos() + duration.toNanos());
    Promise<Result> done = Promise.promise();
    int[] running = {workers};
    for (int i = 0; i < workers; i++) {
      loop(window, request, () -> {
        if (--running[0] == 0) {
          done.complete(window.result(duration));
        }
      });
    }
    return done.future();
  }

  private void loop(Window window, Supplier<Future<Integer>> request, Runnable finished) {
    long sent = System.nanoTime();
    if (sent >= window.end) {
      finished.run();
      return;
    }
    request.get().onComplete(ar -> {
      long answered = System.nanoTime();
      boolean ok = ar.succeeded() && ar.result() >= 200 && ar.result() < 300;
      window.record(sent, answered, ok);
      if (ar.succeeded()) {
        loop(window, request, finished);
      } else {
        vertx.setTimer(FAILURE_PAUSE_MS, id -> loop(window, request, finished));
      }
    });
  }

  /** What was answered inside the measured window. */
  private static final class Window {
    final long start;
    final long end;
    final Histogram latencies = SagaTracker.histogram();
    long errors;

    Window(long start, long end) {
      this.start = start;
      this.end = end;
    }

    void record(long sent, long answered, boolean ok) {
      if (answered < start || answered >= end) {
        return;
      }
      if (ok) {
        latencies.recordValue(SagaTracker.micros(answered - sent));
      } else {
        errors++;
      }
    }

    Result result(Duration duration) {
      return new Result(latencies, errors, duration);
    }
  }

  /** Latencies (microseconds) of the successful answers in the window, the errors, and the window's length. */
  public record Result(Histogram latencies, long errors, Duration window) {

    public long requests() {
      return latencies.getTotalCount() + errors;
    }

    public double requestsPerSecond() {
      return requests() / (window.toNanos() / 1e9);
    }
  }
}
