package io.ordermesh.platform.bus;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who asked, as the gateway authenticated it, carried in event-bus headers. Services never take a
 * customer id from a request body.
 */
public record Caller(String principal, Set<String> roles, String correlationId, String traceparent) {

  public static final String ADMIN = "admin";
  private static final String ROLE_SEPARATOR = ",";

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }

  /**
   * Whether {@code role} crosses the roles header as itself: not empty, no separator, no character up
   * to the space. {@link #of} splits the header at commas and trims each role, and {@link String#trim()}
   * takes away every character up to U+0020, so {@code "x,admin"}, {@code " admin"} or {@code "admin"}
   * followed by U+0001 would arrive as {@code admin}. Whoever puts roles in the header drops the others.
   */
  public static boolean crossesAsItself(String role) {
    if (role.isEmpty()) {
      return false;
    }
    for (int i = 0; i < role.length(); i++) {
      char c = role.charAt(i);
      if (c <= ' ' || c == ROLE_SEPARATOR.charAt(0)) {
        return false;
      }
    }
    return true;
  }

  /** True when the caller may see data that belongs to {@code owner}. */
  public boolean mayAccess(String owner) {
    return isAdmin() || principal.equals(owner);
  }

  public static Caller of(Message<?> message) {
    String principal = message.headers().get(BusHeaders.PRINCIPAL);
    if (principal == null || principal.isBlank()) {
      throw Failure.BAD_REQUEST.exception("request carries no principal");
    }
    String roles = message.headers().get(BusHeaders.ROLES);
    Set<String> roleSet = roles == null || roles.isBlank()
        ? Set.of()
        : Arrays.stream(roles.split(ROLE_SEPARATOR)).map(String::trim).collect(Collectors.toUnmodifiableSet());
    String correlationId = message.headers().get(BusHeaders.CORRELATION_ID);
    return new Caller(principal, roleSet, correlationId == null ? "none" : correlationId,
        message.headers().get(BusHeaders.TRACEPARENT));
  }

  /**
   * The caller of an operation only admins may ask for. Anyone else is told there is no such thing,
   * as the gateway tells them: the gateway checks first, this keeps a routing mistake from exposing it.
   */
  public static Caller requireAdmin(Message<?> message) {
    Caller caller = of(message);
    if (!caller.isAdmin()) {
      throw Failure.NOT_FOUND.exception("no such resource");
    }
    return caller;
  }

  /** Delivery options that carry this caller to the next hop. */
  public DeliveryOptions deliveryOptions(long timeoutMs) {
    DeliveryOptions options = Deadlines.timed(timeoutMs)
        .addHeader(BusHeaders.PRINCIPAL, principal)
        .addHeader(BusHeaders.ROLES, String.join(ROLE_SEPARATOR, roles))
        .addHeader(BusHeaders.CORRELATION_ID, correlationId);
    return traceparent == null ? options : options.addHeader(BusHeaders.TRACEPARENT, traceparent);
  }
}
