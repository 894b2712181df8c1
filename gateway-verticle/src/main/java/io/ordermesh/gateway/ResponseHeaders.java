package io.ordermesh.gateway;

import io.vertx.ext.web.RoutingContext;

/** Headers that keep browsers and caches from doing more with an answer than it is for. */
final class ResponseHeaders {

  private ResponseHeaders() {
  }

  /** Every answer: its content type is what it says (the sniffer page and JSON are never sniffed as something else). */
  static void everywhere(RoutingContext ctx) {
    noSniffing(ctx);
    ctx.next();
  }

  /** For answers made outside the route chain (the router's own errors), which {@link #everywhere} never sees. */
  static void noSniffing(RoutingContext ctx) {
    ctx.response().putHeader("X-Content-Type-Options", "nosniff");
  }

  /** An authenticated answer is one caller's: no shared or browser cache keeps it (event streams say no-cache). */
  static void privateAnswer(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.next();
  }
}
