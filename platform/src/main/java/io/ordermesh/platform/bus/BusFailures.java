package io.ordermesh.platform.bus;

import io.vertx.core.eventbus.ReplyException;

/** How callers judge an event-bus failure. */
public final class BusFailures {

  private BusFailures() {
  }

  /**
   * Transient: worth a retry of an idempotent request when time is left for one, and a sign the
   * callee is unwell (it counts against the breaker). A timeout, no handler, or a service answering
   * UNAVAILABLE or INTERNAL is; a typed business failure (NOT_FOUND, BAD_REQUEST, ...) is not. A
   * timeout has used the call's whole deadline, so in practice it is counted, not retried (decision 14).
   */
  public static boolean isTransient(Throwable error) {
    if (!(error instanceof ReplyException reply)) {
      return false;
    }
    return switch (reply.failureType()) {
      case TIMEOUT, NO_HANDLERS -> true;
      case RECIPIENT_FAILURE, ERROR -> reply.failureCode() == Failure.UNAVAILABLE.code()
          || reply.failureCode() == Failure.INTERNAL.code();
    };
  }
}
