package io.ordermesh.platform.faults;

import io.ordermesh.contracts.ServiceAddresses;
import io.ordermesh.platform.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
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
 * every node keeps a local copy, refreshed by a published change notice, that an inbound interceptor
 * consults for each message it is about to deliver to a local service. Nothing is registered on a
 * service's own addresses, so no message is stolen; health addresses are never faulted, so
 * readiness keeps telling the truth about infrastructure.
 */
public final class FaultInjection {

  private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);
  private static final String MAP = "ordermesh.faults";
  private static final String CHANGED = "ordermesh.faults.changed";

  private final Vertx vertx;
  private final Map<String, Fault> active = new ConcurrentHashMap<>();

  private FaultInjection(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Installs the interceptor on this node and starts following fault changes from the whole cluster. */
  public static Future<FaultInjection> install(Vertx vertx) {
    FaultInjection faults = new FaultInjection(vertx);
    vertx.eventBus().addInboundInterceptor(faults::intercept);
    return vertx.eventBus().<JsonObject>consumer(CHANGED, m -> faults.reload()).completion()
        .compose(v -> faults.reload())
        .map(faults);
  }

  /** A client for adding, listing and ending faults; any node may use one. */
  public static FaultInjection client(Vertx vertx) {
    return new FaultInjection(vertx);
  }

  public Future<Fault> add(String service, Fault.Mode mode, Duration delay, Duration duration) {
    if (!ServiceAddresses.isService(service)) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("unknown service " + service));
    }
    Fault fault = new Fault(UUID.randomUUID().toString(), service, mode, delay.toMillis(),
        System.currentTimeMillis() + duration.toMillis());
    return map().compose(m -> m.put(fault.id(), fault.toJson(), duration.toMillis()))
        .onSuccess(v -> LOG.warn("fault {} injected: {} {} for {} ms", fault.id(), service, mode, duration.toMillis()))
        .compose(v -> notifyChanged())
        .map(fault);
  }

  public Future<List<Fault>> list() {
    long now = System.currentTimeMillis();
    return map().compose(AsyncMap::values).map(values -> values.stream().map(Fault::fromJson)
        .filter(f -> f.activeAt(now)).toList());
  }

  /** Ends a fault; answers false when there was none with that id. */
  public Future<Boolean> remove(String id) {
    return map().compose(m -> m.remove(id))
        .compose(removed -> notifyChanged().map(removed != null));
  }

  private Future<Void> notifyChanged() {
    vertx.eventBus().publish(CHANGED, new JsonObject());
    return Future.succeededFuture();
  }

  private Future<Void> reload() {
    return list().onSuccess(faults -> {
      active.clear();
      faults.forEach(f -> active.put(f.id(), f));
    }).mapEmpty();
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
    Fault fault = service == null ? null : active.values().stream()
        .filter(f -> f.service().equals(service) && f.activeAt(now)).findFirst().orElse(null);
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
