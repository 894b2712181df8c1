package io.ordermesh.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * How many order event streams each caller holds open on this node, across the gateway's instances.
 * Opening one is rate-limited like any request, but a stream then lives for minutes and reads its order
 * now and then: without a cap, one token could hold thousands of them, most when sagas stall.
 */
final class OpenStreams {

  /** Enough for a page per order a customer watches; a client that needs more is leaking streams. */
  static final int MAX_PER_CALLER = 10;
  private static final String MAP = "ordermesh.gateway.order-streams-per-caller";

  private final LocalMap<String, Integer> open;
  private final int max;

  OpenStreams(Vertx vertx) {
    this(vertx, MAX_PER_CALLER);
  }

  OpenStreams(Vertx vertx, int max) {
    this.open = vertx.sharedData().getLocalMap(MAP);
    this.max = max;
  }

  /** Counts a stream of {@code caller} in, or answers false when it holds {@code max} already. */
  boolean tryOpen(String caller) {
    boolean[] opened = {false};
    open.compute(caller, (who, count) -> {
      int now = count == null ? 0 : count;
      opened[0] = now < max;
      return opened[0] ? now + 1 : now;
    });
    return opened[0];
  }

  void closed(String caller) {
    open.computeIfPresent(caller, (who, count) -> count <= 1 ? null : count - 1);
  }

  /** The problem a caller at its limit gets. */
  HttpProblem tooMany() {
    return new HttpProblem(429, "too-many-streams", "Too many requests",
        "at most " + max + " order event streams may be open at once; close one first");
  }
}
