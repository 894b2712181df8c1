package io.ordermesh.gateway;

import io.ordermesh.contracts.OrderAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code GET /api/v1/orders/{id}/events}: a Server-Sent Events stream of the order's status, one
 * {@code status} event per change, ending once the order is CONFIRMED or CANCELLED. It follows the
 * order by reading it through the (defended) bus: every 200 ms at first, as the saga usually settles
 * within a second, then less and less often, up to every 2 s for an order that takes its time. The
 * reads go through a dependency of their own ({@link #USE}), so many slow streams cannot fill the
 * bulkhead, or open the breaker, that placements and reads of the order service go through.
 */
final class OrderEventsStream {

  private static final Duration FIRST_POLL = Duration.ofMillis(200);
  private static final Duration LONGEST_POLL = Duration.ofSeconds(2);
  private static final double POLL_GROWTH = 1.5;
  static final String USE = "order events";
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  /** A stream outlives the saga deadline only by this much; the client may reconnect. */
  private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final BusClient bus;

  OrderEventsStream(Vertx vertx, BusClient bus) {
    this.vertx = vertx;
    this.bus = bus;
  }

  void handle(RoutingContext ctx) {
    JsonObject query = new JsonObject().put("orderId", ctx.pathParam("id"));
    bus.request(ctx, OrderAddresses.GET, query)
        .onFailure(ctx::fail)
        .onSuccess(order -> stream(ctx, query, order));
  }

  private void stream(RoutingContext ctx, JsonObject query, JsonObject first) {
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    if (response.closed()) {
      // The client left during the first read: a close handler set now would never run.
      return;
    }
    Follower follower = new Follower(response, first.getString("status"));
    follower.emit(first);
    if (follower.finished()) {
      return;
    }
    long heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> follower.heartbeat());
    follower.onEnd(() -> vertx.cancelTimer(heartbeat));
    response.closeHandler(v -> follower.end());
    pollLater(ctx, query, follower, System.nanoTime() + MAX_LIFETIME.toNanos(), FIRST_POLL);
  }

  /**
   * One read at a time: the next is due an interval after the last one answered, so a slow order
   * service sees one request per stream in flight, not one more every interval filling its bulkhead.
   */
  private void pollLater(RoutingContext ctx, JsonObject query, Follower follower, long deadline, Duration wait) {
    vertx.setTimer(wait.toMillis(), id -> {
      if (follower.finished()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        follower.end();
        return;
      }
      Duration next = Duration.ofMillis(Math.min(LONGEST_POLL.toMillis(), (long) (wait.toMillis() * POLL_GROWTH)));
      bus.request(ctx, OrderAddresses.GET, query, USE)
          .onSuccess(follower::emitIfChanged)
          .onComplete(ar -> pollLater(ctx, query, follower, deadline, next));
    });
  }

  /** One client's stream: what it saw last, and whether it is over. */
  private static final class Follower {
    private final HttpServerResponse response;
    private String lastStatus;
    private boolean ended;
    private Runnable onEnd = () -> { };

    Follower(HttpServerResponse response, String status) {
      this.response = response;
      this.lastStatus = status;
    }

    void emit(JsonObject order) {
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
      if (!ended && !order.getString("status").equals(lastStatus)) {
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
      this.onEnd = action;
      if (ended) {
        action.run();
      }
    }

    void end() {
      if (ended) {
        return;
      }
      ended = true;
      onEnd.run();
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    }
  }
}
