package io.ordermesh.platform.interest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.UUID;

/**
 * Whether anyone in the cluster wants something every node pays to provide (the sniffer's copies of bus
 * traffic, the order service's outcome publishes): a cluster-wide map of the interested, each entry
 * living {@code ttl} unless renewed, and an address that tells providers to look again at once. Those
 * who want it {@link #register} and {@link #renew} well within the time to live, and {@link #withdraw};
 * one that dies lapses. Providers {@link #watch} it: read on every change and every two seconds.
 */
public final class ClusterInterest {

  /** How often a watcher reads the map besides on a change (a lapsed entry announces nothing). */
  private static final Duration RELOAD = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final String map;
  private final String changed;
  private final Duration ttl;

  /**
   * @param map the cluster-wide map's name
   * @param changed the address a registration or withdrawal is published on
   * @param ttl how long an entry lives without renewal
   */
  public ClusterInterest(Vertx vertx, String map, String changed, Duration ttl) {
    this.vertx = vertx;
    this.map = map;
    this.changed = changed;
    this.ttl = ttl;
  }

  /** Says someone is interested; answers the id to renew and withdraw. */
  public Future<String> register() {
    String id = UUID.randomUUID().toString();
    return renew(id).onSuccess(v -> vertx.eventBus().publish(changed, null)).map(id);
  }

  public Future<Void> renew(String id) {
    return entries().compose(m -> m.put(id, System.currentTimeMillis(), ttl.toMillis()));
  }

  /** Withdraws an interest; watchers hear of it even when the removal failed (the entry lapses then). */
  public Future<Void> withdraw(String id) {
    return entries().compose(m -> m.remove(id))
        .onComplete(ar -> vertx.eventBus().publish(changed, null))
        .mapEmpty();
  }

  /** Starts watching, on the caller's context; completes once the first look is done. */
  public Future<Watch> watch() {
    Watch watch = new Watch();
    vertx.setPeriodic(RELOAD.toMillis(), id -> watch.reload());
    return vertx.eventBus().consumer(changed, m -> watch.reload()).completion()
        .compose(v -> watch.reload())
        .map(watch);
  }

  private Future<AsyncMap<String, Long>> entries() {
    return vertx.sharedData().getAsyncMap(map);
  }

  /** A provider's view: whether anyone is interested, as of its last look. */
  public final class Watch {
    private volatile boolean anyone;

    private Watch() {
    }

    public boolean anyone() {
      return anyone;
    }

    private Future<Void> reload() {
      return entries().compose(AsyncMap::size).onSuccess(n -> anyone = n > 0).mapEmpty();
    }
  }
}
