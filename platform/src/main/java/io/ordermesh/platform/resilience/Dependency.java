package io.ordermesh.platform.resilience;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One defended synchronous dependency: bulkhead, then breaker, then the call (which carries its own
 * timeout), retried with backoff and jitter within the retry budget when the call is idempotent and
 * the failure transient. Safe to use from several event loops (the breaker, bulkhead, budget and
 * counters are): a gateway deployment's instances share one per service, so the node has
 * one breaker per edge, as {@code /admin/breakers} and the metrics show it, whichever instance calls.
 */
public final class Dependency {

  private static final Logger LOG = LoggerFactory.getLogger(Dependency.class);
  /** A retry with less time than this left would only add load: it cannot succeed. */
  private static final Duration MIN_ATTEMPT = Duration.ofMillis(10);

  private final Vertx vertx;
  private final String name;
  private final ResiliencePolicy policy;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final RetryBudget budget;
  private final Backoff backoff;
  private final Predicate<Throwable> isTransient;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong retriesDenied = new AtomicLong();
  private final AtomicLong rejections = new AtomicLong();
  private final Rejected breakerOpen;
  private final Rejected bulkheadFull = Rejected.bulkheadFull();

  /**
   * @param isTransient which failures are worth a retry; they also count against the breaker, while
   *     other failures (a 404, a validation error) mean the dependency is healthy and do not
   */
  public Dependency(Vertx vertx, String name, ResiliencePolicy policy, Predicate<Throwable> isTransient) {
    this.vertx = vertx;
    this.name = name;
    this.policy = policy;
    this.isTransient = isTransient;
    this.bulkhead = new Bulkhead(policy.maxConcurrent());
    this.budget = new RetryBudget(policy.retryBudgetRatio(), policy.budgetWindow(), System::nanoTime);
    this.backoff = new Backoff(policy.backoffBase(), policy.backoffCap());
    this.breakerOpen = Rejected.breakerOpen(policy.breakerReset());
    this.breaker = CircuitBreaker.create("dependency-" + name, vertx, new CircuitBreakerOptions()
            .setMaxFailures(policy.breakerMaxFailures())
            .setResetTimeout(policy.breakerReset().toMillis())
            // The call carries its own timeout; the breaker must not add a second, different one.
            .setTimeout(-1))
        .failurePolicy(this::countsAsFailure)
        .openHandler(v -> LOG.warn("breaker {} OPEN after {} failures", name, policy.breakerMaxFailures()))
        .halfOpenHandler(v -> LOG.info("breaker {} half-open: letting a probe through", name))
        .closeHandler(v -> LOG.info("breaker {} closed", name));
    registerMeters();
  }

  public String name() {
    return name;
  }

  public ResiliencePolicy policy() {
    return policy;
  }

  /**
   * Calls, retrying transient failures within the budget (for idempotent operations only). All
   * attempts and backoffs fit in the policy's timeout: each attempt gets what is left of it.
   */
  public <T> Future<T> callIdempotent(Function<Duration, Future<T>> call) {
    return guarded(call, 1, true, System.nanoTime() + policy.timeout().toNanos());
  }

  private <T> Future<T> guarded(Function<Duration, Future<T>> call, int attempt, boolean idempotent, long deadline) {
    if (attempt == 1) {
      calls.incrementAndGet();
      budget.recordCall();
    }
    if (!bulkhead.tryEnter()) {
      rejections.incrementAndGet();
      return Future.failedFuture(bulkheadFull);
    }
    Duration remaining = Duration.ofNanos(Math.max(MIN_ATTEMPT.toNanos(), deadline - System.nanoTime()));
    Future<T> outcome = breaker.<T>execute(() -> call.apply(remaining))
        .recover(error -> Future.failedFuture(error instanceof OpenCircuitException ? breakerOpen : error))
        .andThen(ar -> bulkhead.exit());
    if (!idempotent) {
      return outcome;
    }
    return outcome.recover(error -> retryOrFail(call, attempt, error, deadline));
  }

  private <T> Future<T> retryOrFail(Function<Duration, Future<T>> call, int attempt, Throwable error, long deadline) {
    if (attempt >= policy.maxAttempts() || error instanceof Rejected || !isTransient.test(error)) {
      return Future.failedFuture(error);
    }
    long delay = backoff.delayBefore(attempt).toMillis();
    if (System.nanoTime() + Duration.ofMillis(delay).plus(MIN_ATTEMPT).toNanos() >= deadline) {
      return Future.failedFuture(error);
    }
    if (!budget.tryRetry()) {
      retriesDenied.incrementAndGet();
      return Future.failedFuture(error);
    }
    retries.incrementAndGet();
    Future<?> wait = delay == 0 ? Future.succeededFuture() : vertx.timer(delay);
    return wait.compose(v -> guarded(call, attempt + 1, true, deadline));
  }

  private boolean countsAsFailure(Future<?> result) {
    return result.failed() && isTransient.test(result.cause());
  }

  private void registerMeters() {
    var registry = Metrics.registry();
    registerMeters(name, breaker, retries, retriesDenied);
    FunctionCounter.builder("ordermesh.dependency.calls", calls, AtomicLong::get).tag("dependency", name)
        .register(registry);
    FunctionCounter.builder("ordermesh.bulkhead.rejections", rejections, AtomicLong::get).tag("dependency", name)
        .register(registry);
  }

  /**
   * The breaker's state and the retries of a dependency defended without a {@code Dependency} (the
   * notification provider's HTTP calls), under the same names as every other dependency's.
   */
  public static void registerMeters(String dependency, CircuitBreaker breaker, AtomicLong retries,
      AtomicLong retriesDenied) {
    var registry = Metrics.registry();
    Gauge.builder("ordermesh.breaker.state", breaker, Dependency::stateValue).tag("dependency", dependency)
        .description("0 closed, 1 half-open, 2 open").register(registry);
    FunctionCounter.builder("ordermesh.dependency.retries", retries, AtomicLong::get).tag("dependency", dependency)
        .register(registry);
    FunctionCounter.builder("ordermesh.dependency.retries.denied", retriesDenied, AtomicLong::get)
        .tag("dependency", dependency).description("Retries the retry budget refused").register(registry);
  }

  private static double stateValue(CircuitBreaker breaker) {
    return switch (breaker.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** State for {@code /admin/breakers} and metrics. */
  public JsonObject snapshot() {
    return new JsonObject()
        .put("name", name)
        .put("state", breaker.state().name())
        .put("failureCount", breaker.failureCount())
        .put("inFlight", bulkhead.inFlight())
        .put("maxConcurrent", bulkhead.maxConcurrent())
        .put("calls", calls.get())
        .put("retries", retries.get())
        .put("retriesDeniedByBudget", retriesDenied.get())
        .put("rejections", rejections.get())
        .put("policy", policy.toJson());
  }

  public String state() {
    return breaker.state().name();
  }
}
