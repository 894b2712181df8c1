package io.ordermesh.gateway;

import io.ordermesh.contracts.OrderAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code GET /api/v1/orders/{id}/events}: a Server-Sent Events stream of the order's status, one
 * {@code status} event per change, ending once the order is CONFIRMED or CANCELLED.
 *
 * <p>The order service publishes each outcome on the bus once it commits
 * ({@link OrderAddresses#STATUS_CHANGED}) while some gateway has streams open ({@link StreamInterest}),
 * and a stream passes it on as it arrives. That publish is a
 * hint, at most once, so each stream also reads the order through the (defended) bus now and then: a
 * second after it opened, then less and less often, up to every 8 s. Those reads go through a dependency
 * of their own ({@link #USE}), so many slow streams cannot fill the bulkhead, or open the breaker, that
 * placements and reads of the order service go through.
 */
final class OrderEventsStream {

  private static final Duration FIRST_READ = Duration.ofSeconds(1);
  private static final Duration LONGEST_READ = Duration.ofSeconds(8);
  private static final int READ_GROWTH = 2;
  static final String USE = "order events";
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  /**
   * How long a stream may outlive the saga deadline (by then the order has an outcome, unless the order
   * service is down; the client may reconnect), and the shortest lifetime a stream gets.
   */
  private static final Duration LIFETIME_PAST_DEADLINE = Duration.ofMinutes(1);
  private static final Duration MIN_LIFETIME = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final BusClient bus;
  private final Duration lifetime;
  /** The streams open on this gateway, by order id; only this verticle's event loop touches it. */
  private final Map<String, Set<Follower>> following = new HashMap<>();
  private final StreamInterest interest;
  private final OpenStreams open;
  private Future<Void> listening = Future.succeededFuture();

  private OrderEventsStream(Vertx vertx, BusClient bus, Duration sagaDeadline, OpenStreams open) {
    this.vertx = vertx;
    this.bus = bus;
    this.open = open;
    Duration pastDeadline = sagaDeadline.plus(LIFETIME_PAST_DEADLINE);
    this.lifetime = pastDeadline.compareTo(MIN_LIFETIME) > 0 ? pastDeadline : MIN_LIFETIME;
    this.interest = new StreamInterest(vertx);
  }

  /** A stream handler that hears the order service's outcomes; call it on the gateway's context. */
  static OrderEventsStream listening(Vertx vertx, BusClient bus, Duration sagaDeadline) {
    return listening(vertx, bus, sagaDeadline, new OpenStreams(vertx));
  }

  static OrderEventsStream listening(Vertx vertx, BusClient bus, Duration sagaDeadline, OpenStreams open) {
    OrderEventsStream stream = new OrderEventsStream(vertx, bus, sagaDeadline, open);
    stream.listening = vertx.eventBus().<JsonObject>consumer(OrderAddresses.STATUS_CHANGED, stream::changed).completion();
    return stream;
  }

  /** Completes once the outcomes' consumer is registered (cluster-wide, in a cluster). */
  Future<Void> listens() {
    return listening;
  }

  void handle(RoutingContext ctx) {
    String caller = ctx.user() == null ? "" : ctx.user().subject();
    if (!open.tryOpen(caller)) {
      ctx.fail(open.tooMany());
      return;
    }
    JsonObject query = new JsonObject().put("orderId", ctx.pathParam("id"));
    // Following before the first read: an outcome published while it is under way is kept, not lost
    // between the read and the subscription. Nothing reaches the client before the read said it may see it.
    Follower follower = follow(query.getString("orderId"));
    follower.onEnd(() -> open.closed(caller));
    bus.request(ctx, OrderAddresses.GET, query)
        .onFailure(error -> {
          follower.end();
          ctx.fail(error);
        })
        .onSuccess(order -> stream(ctx, query, follower, order));
  }

  private void changed(Message<JsonObject> message) {
    Set<Follower> followers = following.get(message.body().getString("orderId"));
    if (followers != null) {
      // A copy: a follower that ends leaves the set.
      Set.copyOf(followers).forEach(f -> f.emitIfChanged(message.body()));
    }
  }

  private Follower follow(String orderId) {
    Follower follower = new Follower();
    String key = canonical(orderId);
    if (following.isEmpty()) {
      interest.following();
    }
    following.computeIfAbsent(key, id -> new LinkedHashSet<>()).add(follower);
    follower.onEnd(() -> {
      following.computeIfPresent(key, (id, set) -> {
        set.remove(follower);
        return set.isEmpty() ? null : set;
      });
      if (following.isEmpty()) {
        interest.notFollowing();
      }
    });
    return follower;
  }

  /** The order service publishes ids as UUID.toString() writes them; a path may spell one in capitals. */
  private static String canonical(String orderId) {
    try {
      return UUID.fromString(orderId).toString();
    } catch (IllegalArgumentException e) {
      return orderId;
    }
  }

  private void stream(RoutingContext ctx, JsonObject query, Follower follower, JsonObject first) {
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    if (response.closed()) {
      // The client left during the first read: a close handler set now would never run.
      follower.end();
      return;
    }
    follower.start(response, first);
    if (follower.finished()) {
      return;
    }
    long heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> follower.heartbeat());
    follower.onEnd(() -> vertx.cancelTimer(heartbeat));
    response.closeHandler(v -> follower.end());
    readLater(ctx, query, follower, System.nanoTime() + lifetime.toNanos(), FIRST_READ);
  }

  /**
   * One read at a time: the next is due an interval after the last one answered, so a slow order
   * service sees one request per stream in flight, not one more every interval filling its bulkhead.
   */
  private void readLater(RoutingContext ctx, JsonObject query, Follower follower, long deadline, Duration wait) {
    vertx.setTimer(wait.toMillis(), id -> {
      if (follower.finished()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        follower.end();
        return;
      }
      Duration next = Duration.ofMillis(Math.min(LONGEST_READ.toMillis(), wait.toMillis() * READ_GROWTH));
      bus.request(ctx, OrderAddresses.GET, query, USE)
          .onSuccess(follower::emitIfChanged)
          .onComplete(ar -> readLater(ctx, query, follower, deadline, next));
    });
  }

  /**
   * One client's stream: what it saw last, and whether it is over. Before it starts (the first read
   * is under way) it keeps the outcome it heard of, to pass on once the client may see it.
   */
  private static final class Follower {
    private HttpServerResponse response;
    private String lastStatus;
    private JsonObject heardEarly;
    private boolean ended;
    private final List<Runnable> onEnd = new ArrayList<>();

    void start(HttpServerResponse response, JsonObject first) {
      this.response = response;
      emit(first);
      if (heardEarly != null) {
        emitIfChanged(heardEarly);
      }
    }

    private void emit(JsonObject order) {
      JsonObject event = new JsonObject()
          .put("orderId", order.getString("orderId"))
          .put("status", order.getString("status"))
          .put("reason", order.getString("reason"));
      response.write("event: status\ndata: " + event.encode() + "\n\n");
      lastStatus = order.getString("status");
      if (!"PENDING".equals(lastStatus)) {
        end();
      }
    }

    void emitIfChanged(JsonObject order) {
      if (ended) {
        return;
      }
      if (response == null) {
        heardEarly = order;
      } else if (!order.getString("status").equals(lastStatus)) {
        emit(order);
      }
    }

    void heartbeat() {
      if (!ended) {
        response.write(": keep-alive\n\n");
      }
    }

    boolean finished() {
      return ended;
    }

    void onEnd(Runnable action) {
      if (ended) {
        action.run();
      } else {
        onEnd.add(action);
      }
    }

    void end() {
      if (ended) {
        return;
      }
      ended = true;
      onEnd.forEach(Runnable::run);
      if (response != null && !response.ended() && !response.closed()) {
        response.end();
      }
    }
  }
}
