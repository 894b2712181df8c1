package io.ordermesh.gateway;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accepts the client's {@code X-Correlation-ID} when it is sane, otherwise generates one; echoes it on
 * the response and keeps it on the routing context for every hop after.
 */
public final class Correlation {

  public static final String HEADER = "X-Correlation-ID";
  private static final String KEY = "correlationId";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  private Correlation() {
  }

  public static void assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && ACCEPTED.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "none" : id;
  }
}
