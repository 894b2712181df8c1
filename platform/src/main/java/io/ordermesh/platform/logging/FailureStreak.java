package io.ordermesh.platform.logging;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The log of work that is retried on a timer (a relay's batch, a dispatcher's round, a sweep): the
 * first failure of a streak is a warning, then at most one more per {@code every} saying how many
 * failed since, and one line when it works again. A database down for a minute was otherwise a warning
 * every 200 ms from each of them, burying the line that said why.
 */
public final class FailureStreak {

  private final Logger log;
  private final String work;
  private final long everyNanos;
  private final LongSupplier nanoTime;
  private long failedSinceReport;
  private long failedInStreak;
  private long reportedAt;
  private boolean failing;

  public FailureStreak(Logger log, String work, Duration every) {
    this(log, work, every, System::nanoTime);
  }

  FailureStreak(Logger log, String work, Duration every, LongSupplier nanoTime) {
    this.log = log;
    this.work = work;
    this.everyNanos = every.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Call on the thread that runs the work (an event loop), like every other call. */
  public void failed(Throwable error) {
    long now = nanoTime.getAsLong();
    failedInStreak++;
    if (!failing) {
      failing = true;
      reportedAt = now;
      failedSinceReport = 0;
      log.warn("{} failed, will retry: {}", work, String.valueOf(error));
    } else if (now - reportedAt >= everyNanos) {
      log.warn("{} still failing ({} attempts since the last line), will retry: {}", work, failedSinceReport + 1,
          String.valueOf(error));
      reportedAt = now;
      failedSinceReport = 0;
    } else {
      failedSinceReport++;
    }
  }

  public void succeeded() {
    if (failing) {
      log.info("{} works again after {} failed attempts", work, failedInStreak);
      failing = false;
      failedSinceReport = 0;
      failedInStreak = 0;
    }
  }
}
