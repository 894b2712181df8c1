package io.ordermesh.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * An {@code Authorization} header that is not {@code Bearer <token>}, with a token shaped as a JWT
 * (three base64url parts), is an invalid token (401, as the contract says), not a malformed request:
 * Vert.x's JWT handler answers a header without a space (just {@code Bearer}, or a bare token), or a
 * token it cannot decode, with 400. A missing header is left to that handler (401).
 */
final class BearerHeader {

  private static final Pattern BEARER = Pattern.compile("(?i)bearer +[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private BearerHeader() {
  }

  static void check(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && !BEARER.matcher(header.strip()).matches()) {
      ctx.fail(new HttpProblem(401, "unauthorized", "Unauthorized",
          "the Authorization header must be 'Bearer <JWT>'"));
      return;
    }
    ctx.next();
  }
}
