package io.ordermesh.platform.resilience;

/**
 * A call refused by the caller's own defences, before reaching the dependency: the breaker is open or
 * the bulkhead is full. Cheap singletons: no stack trace, they happen under load.
 */
public final class Rejected extends RuntimeException {

  public static final Rejected BREAKER_OPEN = new Rejected("breaker-open", "the dependency's breaker is open");
  public static final Rejected BULKHEAD_FULL = new Rejected("bulkhead-full", "too many calls in flight to the dependency");

  private final String reason;

  private Rejected(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
