package io.ordermesh.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Headers that keep browsers and caches from doing more with an answer than it is for. */
final class ResponseHeaders {

  // Netty's ASCII strings: put on every answer, their hashes kept and their bytes checked once.
  private static final CharSequence CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

  private ResponseHeaders() {
  }

  /** Every answer: its content type is what it says (the sniffer page and JSON are never sniffed as something else). */
  static void everywhere(RoutingContext ctx) {
    noSniffing(ctx);
    ctx.next();
  }

  /** For answers made outside the route chain (the router's own errors), which {@link #everywhere} never sees. */
  static void noSniffing(RoutingContext ctx) {
    ctx.response().putHeader(CONTENT_TYPE_OPTIONS, NOSNIFF);
  }

  /** An authenticated answer is one caller's: no shared or browser cache keeps it (event streams say no-cache). */
  static void privateAnswer(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
    ctx.next();
  }
}
