package io.ordermesh.platform.faults;

import io.ordermesh.contracts.ServiceAddresses;
import io.ordermesh.platform.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide fault injection on the event bus. Faults live in a cluster-wide map (with a TTL) and
 * every node keeps a local copy that an inbound interceptor consults for each message it is about to
 * deliver to a local service. Nothing is registered on a service's own addresses, so no message is
 * stolen; health addresses are never faulted, so readiness keeps telling the truth about
 * infrastructure.
 *
 * <p>A change (a fault added or ended) is applied to the local copy of the node that makes it before
 * the call answers, then published to every node with the fault itself in the notice: the admin API's
 * answer means the fault is in effect on the node that answered, and on the others one event-bus hop
 * later (no map read in between). Notices from different nodes may arrive in any order, so an ended
 * fault is remembered until it would have expired: a late "added" notice, or the map read of a node
 * that is just starting, cannot bring it back.
 */
public final class FaultInjection {

  private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);
  private static final String MAP = "ordermesh.faults";
  /** Published to every node: {@code {"added": fault}} or {@code {"ended": fault}}. */
  private static final String CHANGED = "ordermesh.faults.changed";
  /** The same notice, sent to this node's own copy only, answered once it is applied. */
  private static final String APPLY_HERE = "ordermesh.faults.apply";
  private static final DeliveryOptions THIS_NODE = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final Map<String, Fault> active = new ConcurrentHashMap<>();
  /** Ended faults by id, with the time they would have expired; forgotten after it. */
  private final Map<String, Long> ended = new ConcurrentHashMap<>();

  private FaultInjection(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Installs the interceptor on this node and starts following fault changes from the whole cluster. */
  public static Future<FaultInjection> install(Vertx vertx) {
    FaultInjection faults = new FaultInjection(vertx);
    vertx.eventBus().addInboundInterceptor(faults::intercept);
    Future<Void> following = vertx.eventBus().<JsonObject>consumer(CHANGED, m -> faults.apply(m.body())).completion();
    Future<Void> answering = vertx.eventBus().<JsonObject>localConsumer(APPLY_HERE, m -> {
      faults.apply(m.body());
      m.reply(null);
    }).completion();
    // Following first: a change made while the map is read arrives as a notice and is not missed.
    return Future.all(following, answering)
        .compose(v -> faults.list())
        .onSuccess(faults::merge)
        .map(faults);
  }

  /** A client for adding, listing and ending faults; any node may use one. */
  public static FaultInjection client(Vertx vertx) {
    return new FaultInjection(vertx);
  }

  /** Stores the fault, then answers once it is in effect on this node (and published to the others). */
  public Future<Fault> add(String service, Fault.Mode mode, Duration delay, Duration duration) {
    if (!ServiceAddresses.isService(service)) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("unknown service " + service));
    }
    Fault fault = new Fault(UUID.randomUUID().toString(), service, mode, delay.toMillis(),
        System.currentTimeMillis() + duration.toMillis());
    return map().compose(m -> m.put(fault.id(), fault.toJson(), duration.toMillis()))
        .onSuccess(v -> LOG.warn("fault {} injected: {} {} for {} ms", fault.id(), service, mode, duration.toMillis()))
        .compose(v -> announce(new JsonObject().put("added", fault.toJson())))
        .map(fault);
  }

  public Future<List<Fault>> list() {
    long now = System.currentTimeMillis();
    return map().compose(AsyncMap::values).map(values -> values.stream().map(Fault::fromJson)
        .filter(f -> f.activeAt(now)).toList());
  }

  /** Ends a fault, here before it answers and then everywhere; answers false when there was none with that id. */
  public Future<Boolean> remove(String id) {
    return map().compose(m -> m.remove(id))
        .compose(removed -> removed == null
            ? Future.succeededFuture(false)
            : announce(new JsonObject().put("ended", removed)).map(true));
  }

  /** Applies a change on this node (when faults are installed here), then tells every node. */
  private Future<Void> announce(JsonObject change) {
    return vertx.eventBus().request(APPLY_HERE, change, THIS_NODE)
        .<Void>mapEmpty()
        .recover(error -> isNotInstalledHere(error)
            ? Future.succeededFuture()
            : Future.failedFuture(error))
        .onSuccess(v -> vertx.eventBus().publish(CHANGED, change));
  }

  private static boolean isNotInstalledHere(Throwable error) {
    return error instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /** Idempotent, and commutative with the other changes to the same fault. */
  void apply(JsonObject change) {
    long now = System.currentTimeMillis();
    forgetExpired(now);
    if (change.getValue("ended") instanceof JsonObject json) {
      Fault fault = Fault.fromJson(json);
      ended.put(fault.id(), fault.untilEpochMs());
      active.remove(fault.id());
    } else if (change.getValue("added") instanceof JsonObject json) {
      merge(List.of(Fault.fromJson(json)));
    } else {
      // A notice without the change (a node of an earlier version, during a rolling upgrade): the map
      // says what is in effect, as it did for every notice then.
      list().onSuccess(this::replaceWith)
          .onFailure(error -> LOG.warn("could not read the faults in effect after a change notice: {}", error.toString()));
    }
  }

  private void replaceWith(List<Fault> faults) {
    active.keySet().retainAll(faults.stream().map(Fault::id).toList());
    merge(faults);
  }

  private void merge(List<Fault> faults) {
    long now = System.currentTimeMillis();
    faults.stream()
        .filter(fault -> fault.activeAt(now) && !ended.containsKey(fault.id()))
        .forEach(fault -> active.put(fault.id(), fault));
  }

  private void forgetExpired(long now) {
    active.values().removeIf(fault -> !fault.activeAt(now));
    ended.values().removeIf(until -> until <= now);
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  private void intercept(DeliveryContext<Object> ctx) {
    if (active.isEmpty()) {
      ctx.next();
      return;
    }
    Message<Object> message = ctx.message();
    String service = ServiceAddresses.serviceOf(message.address()).orElse(null);
    long now = System.currentTimeMillis();
    // Expired faults leave here (no notice marks their end), so that the empty check above holds again.
    active.values().removeIf(f -> !f.activeAt(now));
    Fault fault = service == null ? null : active.values().stream()
        .filter(f -> f.service().equals(service)).findFirst().orElse(null);
    if (fault == null) {
      ctx.next();
      return;
    }
    switch (fault.mode()) {
      case SILENT -> {
        // Dropped: the caller's timeout is what it will see.
      }
      case FAIL -> message.fail(Failure.UNAVAILABLE.code(), "injected fault " + fault.id());
      case SLOW -> vertx.setTimer(Math.max(1, fault.delayMs()), id -> ctx.next());
    }
  }

  /** The active faults as JSON, for the admin API. */
  public static JsonArray toJson(List<Fault> faults) {
    return new JsonArray(faults.stream().map(Fault::toJson).toList());
  }
}
