package io.ordermesh.platform.bus;

import io.ordermesh.platform.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
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
    LogContext.of(request.address(), request.headers().get(BusHeaders.CORRELATION_ID))
        .error(LOG, "{} failed", request.address(), error);
    request.fail(Failure.INTERNAL.code(), "internal error");
  }
}
