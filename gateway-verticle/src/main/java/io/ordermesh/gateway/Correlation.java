package io.ordermesh.gateway;

import io.netty.util.AsciiString;
import io.ordermesh.events.TraceParent;
import io.ordermesh.platform.logging.LogContext;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Accepts the client's {@code X-Correlation-ID} when it is sane, otherwise generates one; echoes it on
 * the response and keeps it on the routing context for every hop after.
 */
public final class Correlation {

  public static final String HEADER = "X-Correlation-ID";
  public static final String TRACEPARENT = "traceparent";
  /**
   * The same names as Netty's ASCII strings, for the request's and response's headers: a String name
   * is hashed and checked character by character on every lookup and put, an ASCII string's hash is
   * kept (every request reads and writes both).
   */
  private static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
  private static final CharSequence TRACEPARENT_NAME = HttpHeaders.createOptimized(TRACEPARENT);
  private static final String KEY = "correlationId";
  /** One line per request at DEBUG: method, path, status, time, with the correlation id. */
  private static final Logger ACCESS = LoggerFactory.getLogger("io.ordermesh.gateway.access");
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  private Correlation() {
  }

  public static void assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER_NAME);
    String id = given != null && ACCEPTED.matcher(given).matches() ? given : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER_NAME, headerValue(id));
    String givenTrace = ctx.request().getHeader(TRACEPARENT_NAME);
    String trace = TraceParent.isValid(givenTrace) ? givenTrace : TraceParent.newRoot();
    ctx.put(TRACEPARENT, trace);
    ctx.response().putHeader(TRACEPARENT_NAME, headerValue(trace));
    if (ACCESS.isDebugEnabled()) {
      long started = System.nanoTime();
      ctx.addEndHandler(v -> LogContext.of("gateway", id).debug(ACCESS, "{} {} {} {} us", ctx.request().method(),
          ctx.request().path(), ctx.response().getStatusCode(), (System.nanoTime() - started) / 1_000));
    }
    ctx.next();
  }

  /**
   * A String header value is checked and written to the response a character at a time; its bytes as
   * an ASCII string are checked in one loop over an array and written with one copy. Both values are
   * ASCII here: a generated id or trace, or the client's, accepted only when made of ASCII characters.
   */
  private static AsciiString headerValue(String ascii) {
    return new AsciiString(ascii.getBytes(StandardCharsets.ISO_8859_1), false);
  }

  /**
   * A random (version 4) UUID from the event loop's own generator: an id has to be unique, not secret,
   * and {@link UUID#randomUUID()} takes the lock of one SecureRandom per request.
   */
  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  /** The W3C trace context of this request: the client's, or a new trace. */
  public static String traceparent(RoutingContext ctx) {
    return ctx.get(TRACEPARENT);
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "none" : id;
  }
}
