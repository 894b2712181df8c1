package io.ordermesh.platform.resilience;

import java.time.Duration;

/**
 * A call refused by the caller's own defences, before reaching the dependency: the breaker is open or
 * the bulkhead is full. Cheap: no stack trace, and one instance per dependency and reason, since they
 * happen under load.
 */
public final class Rejected extends RuntimeException {

  /** A bulkhead frees a slot as soon as one call in flight ends. */
  private static final Duration BULKHEAD_RETRY_AFTER = Duration.ofSeconds(1);

  private final String reason;
  private final Duration retryAfter;

  private Rejected(String reason, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  /** The breaker is open: no call gets through until it lets a probe through, {@code reset} after it opened. */
  public static Rejected breakerOpen(Duration reset) {
    return new Rejected("breaker-open", "the dependency's breaker is open", reset);
  }

  public static Rejected bulkheadFull() {
    return new Rejected("bulkhead-full", "too many calls in flight to the dependency", BULKHEAD_RETRY_AFTER);
  }

  public String reason() {
    return reason;
  }

  /** When a client may usefully try again, at the latest. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
