package io.ordermesh.gateway;

import io.ordermesh.platform.sniff.EventBusTap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/sniff[?address=GLOB][&correlation=ID]}: the cluster's event-bus traffic as
 * Server-Sent Events, one {@code message} event per copy the tap makes. While a stream is open the
 * sniffer stays attached (renewed well within its TTL); closing the stream detaches it.
 */
final class SniffStream {

  private static final Logger LOG = LoggerFactory.getLogger(SniffStream.class);
  private static final Duration RENEW = Duration.ofSeconds(3);
  /** A stream ends after this long, so a tap cannot stay attached for ever to a client long gone. */
  private static final Duration MAX_LIFETIME = Duration.ofHours(1);

  private final Vertx vertx;

  SniffStream(Vertx vertx) {
    this.vertx = vertx;
  }

  void handle(RoutingContext ctx) {
    Predicate<JsonObject> wanted = filter(ctx.queryParams().get("address"), ctx.queryParams().get("correlation"));
    HttpServerResponse response = ctx.response();
    // Copies of other streams' taps may arrive before this one is attached: none is written until the
    // stream has begun, so that a failed attach can still be answered with a problem.
    AtomicBoolean streaming = new AtomicBoolean();
    MessageConsumer<JsonObject> copies = vertx.eventBus().consumer(EventBusTap.TAP, m -> {
      if (streaming.get() && wanted.test(m.body()) && !response.writeQueueFull()) {
        response.write("event: message\ndata: " + m.body().encode() + "\n\n");
      }
    });
    copies.completion()
        .compose(v -> EventBusTap.attach(vertx))
        .onFailure(error -> {
          copies.unregister();
          ctx.fail(error);
        })
        .onSuccess(id -> {
          if (response.closed()) {
            // The client left while the tap was attaching: no close handler would ever detach it.
            copies.unregister();
            detach(id);
            return;
          }
          long renewal = vertx.setPeriodic(RENEW.toMillis(), t -> {
            EventBusTap.renew(vertx, id);
            // A client that vanished without a word is found out by a write, even when nothing matches.
            if (!response.writeQueueFull()) {
              response.write(": keep-alive\n\n");
            }
          });
          AtomicBoolean ended = new AtomicBoolean();
          Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
              streaming.set(false);
              vertx.cancelTimer(renewal);
              copies.unregister();
              detach(id);
            }
          };
          long lifetime = vertx.setTimer(MAX_LIFETIME.toMillis(), t -> {
            end.run();
            // An EventSource reconnects by itself; the tap is attached afresh, with a fresh lifetime.
            response.end();
          });
          response.closeHandler(v -> {
            vertx.cancelTimer(lifetime);
            end.run();
          });
          response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
              .write(": attached\n\n");
          streaming.set(true);
        });
  }

  /** A detach that fails costs copying until the attachment's TTL runs out (seconds): said, not retried. */
  private void detach(String id) {
    EventBusTap.detach(vertx, id).onFailure(error ->
        LOG.warn("sniffer {} could not be detached; taps stop copying once its attachment expires: {}", id,
            error.toString()));
  }

  static Predicate<JsonObject> filter(String addressGlob, String correlationId) {
    AddressGlob address = addressGlob == null ? null : AddressGlob.of(addressGlob);
    return copy -> (address == null || address.matches(String.valueOf(copy.getString("address"))))
        && (correlationId == null || correlationId.equals(copy.getString("correlationId")));
  }
}
