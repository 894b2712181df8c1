package io.ordermesh.platform.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of calls over a sliding window, so that retries can never multiply the
 * load on a dependency that is already struggling. The window is a ring of one-second buckets.
 */
public final class RetryBudget {

  /** A few retries are always allowed, so a quiet dependency can still be retried at all. */
  private static final int MIN_RETRIES_PER_WINDOW = 3;

  private final double ratio;
  private final int buckets;
  private final long bucketNanos;
  private final long[] calls;
  private final long[] retries;
  private final long[] stamps;
  private final LongSupplier clock;

  public RetryBudget(double ratio, Duration window, LongSupplier nanoClock) {
    this.ratio = ratio;
    this.buckets = (int) Math.max(1, window.toSeconds());
    this.bucketNanos = Duration.ofSeconds(1).toNanos();
    this.calls = new long[buckets];
    this.retries = new long[buckets];
    this.stamps = new long[buckets];
    this.clock = nanoClock;
  }

  public synchronized void recordCall() {
    calls[bucket()]++;
  }

  /** Takes one retry from the budget, or answers false when the budget is spent. */
  public synchronized boolean tryRetry() {
    int current = bucket();
    long now = stamps[current];
    long windowCalls = 0;
    long windowRetries = 0;
    for (int i = 0; i < buckets; i++) {
      // A bucket is reset only when its second comes round again: one nobody touched since is older
      // than the window and counts for nothing.
      if (now - stamps[i] < buckets) {
        windowCalls += calls[i];
        windowRetries += retries[i];
      }
    }
    if (windowRetries >= Math.max(MIN_RETRIES_PER_WINDOW, (long) (windowCalls * ratio))) {
      return false;
    }
    retries[current]++;
    return true;
  }

  private int bucket() {
    long second = clock.getAsLong() / bucketNanos;
    // floorMod: System.nanoTime() may be negative, and so may the second it falls in.
    int index = (int) Math.floorMod(second, (long) buckets);
    if (stamps[index] != second) {
      stamps[index] = second;
      calls[index] = 0;
      retries[index] = 0;
    }
    return index;
  }
}
