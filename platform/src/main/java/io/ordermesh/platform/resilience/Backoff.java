package io.ordermesh.platform.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before retry {@code n} (1-based) wait a uniformly random time
 * in {@code [0, min(cap, base * 2^(n-1))]}, so that clients that failed together do not retry together.
 */
public record Backoff(Duration base, Duration cap) {

  private static final int MAX_SHIFT = 30;

  public Duration delayBefore(int retry) {
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(retry - 1, MAX_SHIFT));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
