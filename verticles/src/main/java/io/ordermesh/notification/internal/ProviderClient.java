package io.ordermesh.notification.internal;

import io.ordermesh.notification.internal.NotificationRepository.Notification;
import io.ordermesh.platform.bus.BusHeaders;
import io.ordermesh.platform.config.OrdermeshConfig.NotificationConfig;
import io.ordermesh.platform.resilience.Backoff;
import io.ordermesh.platform.resilience.Dependency;
import io.ordermesh.platform.resilience.Retry;
import io.ordermesh.platform.resilience.RetryBudget;
import io.ordermesh.platform.config.Defaults;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the notification provider's webhook: a timeout per call, retries with backoff and full
 * jitter for transient failures (timeouts, connection errors, 5xx) within a retry budget, all behind
 * a breaker that only consecutive transient failures open, so a dead provider is not hammered. The notification id travels as {@code Idempotency-Key}, so a retry after
 * a lost response does not notify twice.
 */
public final class ProviderClient {

  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** The name its breaker and retries go by in metrics, beside the event-bus dependencies'. */
  static final String DEPENDENCY = "notification->provider";
  private static final Logger LOG = LoggerFactory.getLogger(ProviderClient.class);
  private static final int FIRST_SERVER_ERROR = 500;
  private static final int FIRST_REDIRECT = 300;
  private static final int SUCCESS = 200;

  private final WebClient http;
  private final NotificationConfig config;
  private final CircuitBreaker breaker;
  private final Retry retry;

  public ProviderClient(Vertx vertx, NotificationConfig config) {
    this.http = WebClient.create(vertx);
    this.config = config;
    this.breaker = CircuitBreaker.create("notification-provider", vertx, new CircuitBreakerOptions()
            .setMaxFailures(config.breakerMaxFailures())
            .setTimeout(-1)
            .setResetTimeout(config.breakerReset().toMillis()))
        // A 4xx is the provider refusing this notification, not the provider being down: it answered,
        // so (like a success) it ends a streak of failures rather than adding to it.
        .failurePolicy(result -> result.failed() && isTransient(result.cause()))
        .openHandler(v -> LOG.warn("notification provider breaker OPEN"))
        .closeHandler(v -> LOG.info("notification provider breaker closed"));
    this.retry = new Retry(vertx, config.maxAttempts(), new Backoff(config.backoffBase(), config.backoffCap()),
        ProviderClient::isTransient,
        new RetryBudget(Defaults.RETRY_BUDGET_RATIO, Defaults.RETRY_BUDGET_WINDOW, System::nanoTime));
    Dependency.registerMeters(DEPENDENCY, breaker, retry.retries(), retry.retriesDenied());
  }

  public Future<Void> deliver(Notification notification) {
    return retry.call(() -> breaker.execute(() -> post(notification)));
  }

  private Future<Void> post(Notification n) {
    JsonObject body = n.payload().copy()
        .put("notificationId", n.id())
        .put("orderId", n.orderId().toString())
        .put("outcome", n.outcome())
        .put("customerId", n.customerId());
    return http.postAbs(config.providerUrl())
        .timeout(config.timeout().toMillis())
        .putHeader(IDEMPOTENCY_KEY, n.id())
        .putHeader(BusHeaders.CORRELATION_ID, n.correlationId())
        .sendJsonObject(body)
        .compose(ProviderClient::requireSuccess);
  }

  private static Future<Void> requireSuccess(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    // 2xx only: a redirect is not followed for a POST, so a 3xx means the notification went nowhere.
    if (status >= SUCCESS && status < FIRST_REDIRECT) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new ProviderException(status));
  }

  /** Worth another try: the provider may answer next time. A 4xx or an open breaker is not. */
  static boolean isTransient(Throwable error) {
    if (error instanceof OpenCircuitException) {
      return false;
    }
    if (error instanceof ProviderException rejected) {
      return rejected.status >= FIRST_SERVER_ERROR;
    }
    return true;
  }

  /** The provider answered with a status that is not a success. */
  static final class ProviderException extends RuntimeException {
    private final int status;

    ProviderException(int status) {
      super("provider answered " + status, null, false, false);
      this.status = status;
    }
  }
}
