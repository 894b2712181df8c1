package io.ordermesh.gateway;

import io.ordermesh.contracts.OrderAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;

/**
 * Tells the order services, through a cluster-wide map ({@link OrderAddresses#STREAMS_MAP}), whether this
 * gateway has order event streams open, so that they publish outcomes only while someone follows them.
 * Renewed while streams are open; an entry of a gateway that died lapses with its time to live.
 */
final class StreamInterest {

  /** A third of the entries' life: two renewals may be late before the entry lapses. */
  private static final long RENEW_MS = OrderAddresses.STREAMS_TTL_MS / 3;

  private final Vertx vertx;
  private final String id = UUID.randomUUID().toString();
  private long renewal = -1;

  StreamInterest(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The first stream opened: say so now, and keep saying so. */
  void following() {
    if (renewal >= 0) {
      return;
    }
    renewal = vertx.setPeriodic(RENEW_MS, t -> put());
    put().onComplete(ar -> vertx.eventBus().publish(OrderAddresses.STREAMS_CHANGED, null));
  }

  /** The last stream ended. */
  void notFollowing() {
    if (renewal < 0) {
      return;
    }
    vertx.cancelTimer(renewal);
    renewal = -1;
    vertx.sharedData().<String, Long>getAsyncMap(OrderAddresses.STREAMS_MAP).compose(map -> map.remove(id))
        .onComplete(ar -> vertx.eventBus().publish(OrderAddresses.STREAMS_CHANGED, null));
  }

  private Future<Void> put() {
    return vertx.sharedData().<String, Long>getAsyncMap(OrderAddresses.STREAMS_MAP)
        .compose(map -> map.put(id, System.currentTimeMillis(), OrderAddresses.STREAMS_TTL_MS));
  }
}
