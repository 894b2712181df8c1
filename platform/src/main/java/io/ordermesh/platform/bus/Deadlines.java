package io.ordermesh.platform.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * A request's deadline as its caller set it ({@link BusHeaders#DEADLINE}). A request that reaches a
 * service long after its caller gave up (it waited in a node that was frozen, or in a queue) is not
 * done: the caller answered its client with a 504 already, and a placement made then would be an order
 * nobody was told about; a client that retries with its Idempotency-Key gets it made then.
 */
public final class Deadlines {

  private Deadlines() {
  }

  /**
   * Options for one request waiting at most {@code timeoutMs}: the send timeout, the timeout as a header
   * (for the sniffer) and the deadline it sets now. Make them for each request: reused later, the
   * deadline would be the one of the first.
   */
  public static DeliveryOptions timed(long timeoutMs) {
    return new DeliveryOptions().setSendTimeout(timeoutMs)
        .addHeader(BusHeaders.TIMEOUT_MS, Long.toString(timeoutMs))
        .addHeader(BusHeaders.DEADLINE, Long.toString(System.currentTimeMillis() + timeoutMs));
  }

  /** How many milliseconds past its deadline a request is at {@code nowMs}; 0 when in time or without one. */
  public static long msLate(MultiMap headers, long nowMs) {
    String deadline = headers.get(BusHeaders.DEADLINE);
    if (deadline == null) {
      return 0;
    }
    try {
      return Math.max(0, nowMs - Long.parseLong(deadline));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
