package io.ordermesh.gateway;

import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.bus.ServiceException;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.resilience.Rejected;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP: typed service failures from the event bus, bus
 * timeouts and missing handlers, the router's own statuses, and anything unexpected (a 500 that is
 * logged with its correlation id and says nothing of the internals).
 */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://ordermesh.io/problems/";

  /** A timeout or a missing service: worth a retry soon (a breaker that opened says its own, longer, wait). */
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {
  }

  /** The router's failure handler. */
  public static void handle(RoutingContext ctx) {
    HttpProblem problem = toProblem(ctx);
    if (problem.status() >= 500) {
      log(ctx, problem);
    }
    write(ctx, problem);
  }

  /**
   * A 5xx is logged by what it says about the system. A rejection (breaker open, bulkhead full) is the
   * defence doing its job, counted in metrics and announced once when the breaker opens: one per request
   * would flood the log at the moment it matters. A dependency that timed out, had no instance or was
   * unavailable is a line of warning. Anything else is a fault here or behind, with its stack trace.
   */
  private static void log(RoutingContext ctx, HttpProblem problem) {
    Throwable failure = ctx.failure();
    LogContext log = LogContext.of("gateway", Correlation.id(ctx));
    if (failure instanceof HttpProblem || failure instanceof Rejected) {
      log.debug(LOG, "{} {} answered {}: {}", ctx.request().method(), ctx.request().path(), problem.status(),
          problem.getMessage());
    } else if (problem.status() == 503 || problem.status() == 504) {
      log.warn(LOG, "{} {} answered {}: {}", ctx.request().method(), ctx.request().path(), problem.status(),
          String.valueOf(failure));
    } else {
      log.error(LOG, "{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    }
  }

  public static void write(RoutingContext ctx, HttpProblem problem) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject body = new JsonObject()
        .put("type", TYPE_BASE + problem.slug())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", problem.getMessage())
        .put("instance", ctx.request().path())
        .put("correlationId", Correlation.id(ctx));
    if (problem.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    if (problem.status() == 503 || problem.status() == 504) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(problem.retryAfterSeconds(DEFAULT_RETRY_AFTER)));
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .end(body.encode());
  }

  static HttpProblem toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpProblem problem) {
      return problem;
    }
    if (failure instanceof ReplyException reply) {
      return fromReply(reply);
    }
    if (failure instanceof ServiceException typed) {
      return fromFailure(typed.failure(), typed.getMessage());
    }
    if (failure instanceof Rejected rejected) {
      return new HttpProblem(503, rejected.reason(), "Service unavailable", rejected.getMessage())
          .retryAfter(rejected.retryAfter());
    }
    return fromStatus(ctx.statusCode(), failure);
  }

  static HttpProblem fromReply(ReplyException reply) {
    return switch (reply.failureType()) {
      case TIMEOUT -> new HttpProblem(504, "upstream-timeout", "Upstream timeout",
          "the service did not answer in time");
      case NO_HANDLERS -> new HttpProblem(503, "service-unavailable", "Service unavailable",
          "no instance of the service is running");
      case RECIPIENT_FAILURE, ERROR -> fromFailure(Failure.fromCode(reply.failureCode()), reply.getMessage());
    };
  }

  private static HttpProblem fromFailure(Failure failure, String detail) {
    return switch (failure) {
      case BAD_REQUEST -> new HttpProblem(400, failure.slug(), "Bad request", detail);
      case NOT_FOUND -> new HttpProblem(404, failure.slug(), "Not found", detail);
      case CONFLICT -> new HttpProblem(409, failure.slug(), "Conflict", detail);
      case UNPROCESSABLE -> new HttpProblem(422, failure.slug(), "Unprocessable request", detail);
      case UNAVAILABLE -> new HttpProblem(503, "service-unavailable", "Service unavailable", detail);
      case INTERNAL -> new HttpProblem(500, failure.slug(), "Internal error", "the service failed; see its logs");
    };
  }

  private static HttpProblem fromStatus(int status, Throwable failure) {
    return switch (status) {
      case 400 -> HttpProblem.badRequest(failure == null ? "malformed request" : failure.getMessage());
      case 401 -> new HttpProblem(401, "unauthorized", "Unauthorized", "a valid bearer token is required");
      case 403 -> new HttpProblem(403, "forbidden", "Forbidden", "this route needs another role");
      case 404 -> new HttpProblem(404, "not-found", "Not found", "no such resource");
      case 405 -> new HttpProblem(405, "method-not-allowed", "Method not allowed", "this route does not take that method");
      case 413 -> new HttpProblem(413, "payload-too-large", "Payload too large", "the body exceeds the size limit");
      case 415 -> new HttpProblem(415, "unsupported-media-type", "Unsupported media type", "send application/json");
      default -> new HttpProblem(500, "internal", "Internal error", "unexpected failure; see the gateway logs");
    };
  }
}
