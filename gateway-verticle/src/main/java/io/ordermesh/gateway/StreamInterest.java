package io.ordermesh.gateway;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.platform.interest.ClusterInterest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Tells the order services ({@link OrderAddresses#STREAMS_MAP}) whether this gateway has order event
 * streams open, so that they publish outcomes only while someone follows them: registered with the first
 * stream, renewed while streams are open, withdrawn with the last. A gateway that dies lapses.
 */
final class StreamInterest {

  /** A third of the entry's life: two renewals may be late before it lapses. */
  private static final long RENEW_MS = OrderAddresses.STREAMS_TTL_MS / 3;

  private final Vertx vertx;
  private final ClusterInterest streams;
  /** The registration while streams are open, null otherwise. */
  private Future<String> registration;
  private long renewal = -1;

  StreamInterest(Vertx vertx) {
    this.vertx = vertx;
    this.streams = new ClusterInterest(vertx, OrderAddresses.STREAMS_MAP, OrderAddresses.STREAMS_CHANGED,
        Duration.ofMillis(OrderAddresses.STREAMS_TTL_MS));
  }

  /** The first stream opened. */
  void following() {
    if (registration != null) {
      return;
    }
    Future<String> registered = streams.register();
    registration = registered;
    renewal = vertx.setPeriodic(RENEW_MS, t -> registered.onSuccess(streams::renew));
  }

  /** The last stream ended. */
  void notFollowing() {
    if (registration == null) {
      return;
    }
    vertx.cancelTimer(renewal);
    registration.onSuccess(streams::withdraw);
    registration = null;
  }
}
