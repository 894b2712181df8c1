package io.ordermesh.platform.bus;

import io.ordermesh.platform.db.DatabaseFailures;
import io.ordermesh.platform.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.DatabaseException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers an event-bus request from the outcome of an async operation, with typed failure codes. */
public final class Replies {

  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {
  }

  /**
   * Runs {@code operation} on the request body and replies with its result (any body the event bus
   * carries: an object, the bytes of a JSON text) or its failure code.
   */
  public static <T> void answer(Message<T> request, Function<Message<T>, Future<?>> operation) {
    Future<?> outcome;
    try {
      outcome = operation.apply(request);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onSuccess(result -> reply(request, result)).onFailure(error -> fail(request, error));
  }

  /**
   * A result the bus has no codec for (a service's mistake) fails the request as INTERNAL: unanswered,
   * its caller would wait out its timeout and count it as the service being unwell.
   */
  private static void reply(Message<?> request, Object result) {
    try {
      request.reply(result);
    } catch (IllegalArgumentException noCodec) {
      fail(request, noCodec);
    }
  }

  private static void fail(Message<?> request, Throwable error) {
    if (error instanceof ServiceException expected) {
      request.fail(expected.failure().code(), expected.getMessage());
      return;
    }
    LogContext log = LogContext.of(request.address(), request.headers().get(BusHeaders.CORRELATION_ID));
    if (isUnstorableText(error)) {
      // A NUL or an invalid character in a text value: the same request fails the same way every time,
      // so it is not the service being unwell, and answering INTERNAL would have it retried and counted
      // against the caller's breaker. The database's own message stays in the log.
      log.warn(LOG, "{} refused a value: {}", request.address(), error.getMessage());
      request.fail(Failure.BAD_REQUEST.code(), "a text value in the request contains a character that cannot be stored");
      return;
    }
    if (DatabaseFailures.isPassing(error)) {
      // Out of reach, restarting, a deadlock: the service is fine and the same request may succeed in a
      // moment. The caller hears 503 (retry later), and the log gets a line, not a stack trace per request.
      log.warn(LOG, "{} could not reach its database: {}", request.address(), String.valueOf(error));
      request.fail(Failure.UNAVAILABLE.code(), "the service cannot reach its database now; try again shortly");
      return;
    }
    log.error(LOG, "{} failed", request.address(), error);
    request.fail(Failure.INTERNAL.code(), "internal error");
  }

  /**
   * SQLSTATE 22021 (character not in repertoire: a NUL, invalid UTF-8) or 22P05 (untranslatable
   * character): caused by the text a request carried. Other data exceptions (an overflowing counter,
   * a bad cast in a statement) can be the service's own fault and stay INTERNAL.
   */
  private static boolean isUnstorableText(Throwable error) {
    return error instanceof DatabaseException database
        && ("22021".equals(database.getSqlState()) || "22P05".equals(database.getSqlState()));
  }
}
