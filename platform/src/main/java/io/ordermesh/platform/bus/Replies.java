package io.ordermesh.platform.bus;

import io.ordermesh.platform.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers an event-bus request from the outcome of an async operation, with typed failure codes. */
public final class Replies {

  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {
  }

  /** Runs {@code operation} on the request body and replies with its result or its failure code. */
  public static <T> void answer(Message<T> request, Function<Message<T>, Future<JsonObject>> operation) {
    Future<JsonObject> outcome;
    try {
      outcome = operation.apply(request);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onSuccess(request::reply).onFailure(error -> fail(request, error));
  }

  private static void fail(Message<?> request, Throwable error) {
    if (error instanceof ServiceException expected) {
      request.fail(expected.failure().code(), expected.getMessage());
      return;
    }
    if (isDataException(error)) {
      // The values asked for cannot be stored or compared (a NUL in a text, a number out of range):
      // the same request fails the same way every time, so it is not the service being unwell, and
      // answering INTERNAL would have it retried and counted against the caller's breaker.
      LogContext.of(request.address(), request.headers().get(BusHeaders.CORRELATION_ID))
          .warn(LOG, "{} refused a value: {}", request.address(), error.getMessage());
      request.fail(Failure.BAD_REQUEST.code(), "a value in the request is not acceptable: " + error.getMessage());
      return;
    }
    LogContext.of(request.address(), request.headers().get(BusHeaders.CORRELATION_ID))
        .error(LOG, "{} failed", request.address(), error);
    request.fail(Failure.INTERNAL.code(), "internal error");
  }

  /** SQLSTATE class 22, "data exception": caused by the values, not by the database's state. */
  private static boolean isDataException(Throwable error) {
    return error instanceof DatabaseException database && database.getSqlState() != null
        && database.getSqlState().startsWith("22");
  }
}
