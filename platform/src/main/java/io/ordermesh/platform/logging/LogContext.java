package io.ordermesh.platform.logging;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * Puts the request's correlation id (and the order and event ids, when known) on one log call.
 * The values are set in the MDC and removed again around that single synchronous call, so nothing
 * leaks between the many requests an event loop interleaves; the JSON encoder turns them into
 * fields, the text pattern shows them.
 */
public final class LogContext {

  public static final String CORRELATION_ID = "correlationId";
  public static final String ORDER_ID = "orderId";
  public static final String EVENT_ID = "eventId";
  public static final String SERVICE = "service";

  private final String correlationId;
  private final String orderId;
  private final String eventId;
  private final String service;

  private LogContext(String correlationId, String orderId, String eventId, String service) {
    this.correlationId = correlationId;
    this.orderId = orderId;
    this.eventId = eventId;
    this.service = service;
  }

  public static LogContext of(String service, String correlationId) {
    return new LogContext(correlationId, null, null, service);
  }

  public LogContext order(Object orderId) {
    return new LogContext(correlationId, orderId == null ? null : orderId.toString(), eventId, service);
  }

  public LogContext event(Object eventId) {
    return new LogContext(correlationId, orderId, eventId == null ? null : eventId.toString(), service);
  }

  public void info(Logger log, String message, Object... args) {
    around(log, l -> l.info(message, args));
  }

  public void debug(Logger log, String message, Object... args) {
    if (log.isDebugEnabled()) {
      around(log, l -> l.debug(message, args));
    }
  }

  public void warn(Logger log, String message, Object... args) {
    around(log, l -> l.warn(message, args));
  }

  public void error(Logger log, String message, Object... args) {
    around(log, l -> l.error(message, args));
  }

  private void around(Logger log, Consumer<Logger> call) {
    put(CORRELATION_ID, correlationId);
    put(ORDER_ID, orderId);
    put(EVENT_ID, eventId);
    put(SERVICE, service);
    try {
      call.accept(log);
    } finally {
      MDC.remove(CORRELATION_ID);
      MDC.remove(ORDER_ID);
      MDC.remove(EVENT_ID);
      MDC.remove(SERVICE);
    }
  }

  private static void put(String key, String value) {
    if (value != null) {
      MDC.put(key, value);
    }
  }
}
