package io.ordermesh.platform.resilience;

import io.ordermesh.platform.config.Defaults;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How one synchronous dependency is defended (ARCHITECTURE section 7): a timeout on every call;
 * retries with exponential backoff and full jitter, only for transient failures of idempotent calls,
 * within a retry budget; a breaker; a bulkhead that rejects at once when full.
 *
 * @param retryBudgetRatio retries may be at most this share of calls over {@code budgetWindow}
 * @param breakerMaxFailures consecutive failures that open the breaker
 * @param breakerReset how long the breaker stays open before letting one probe through (half-open)
 * @param maxConcurrent calls in flight at most; the next one is rejected
 */
public record ResiliencePolicy(Duration timeout, int maxAttempts, Duration backoffBase, Duration backoffCap,
    double retryBudgetRatio, Duration budgetWindow, int breakerMaxFailures, Duration breakerReset,
    int maxConcurrent) {

  public ResiliencePolicy {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + maxAttempts);
    }
    if (retryBudgetRatio < 0 || retryBudgetRatio > 1) {
      throw new IllegalArgumentException("retryBudgetRatio must be in 0..1, but was " + retryBudgetRatio);
    }
    if (breakerMaxFailures < 1 || maxConcurrent < 1) {
      throw new IllegalArgumentException("breakerMaxFailures and maxConcurrent must be >= 1");
    }
  }

  /** The defaults of ARCHITECTURE section 7 with the given call timeout. */
  public static ResiliencePolicy defaults(Duration timeout) {
    return new ResiliencePolicy(timeout, Defaults.RETRY_ATTEMPTS, Defaults.RETRY_BASE, Defaults.RETRY_CAP,
        Defaults.RETRY_BUDGET_RATIO, Defaults.RETRY_BUDGET_WINDOW, Defaults.BREAKER_MAX_FAILURES,
        Defaults.BREAKER_RESET, Defaults.BULKHEAD_MAX_CONCURRENT);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("timeoutMs", timeout.toMillis())
        .put("maxAttempts", maxAttempts)
        .put("backoffBaseMs", backoffBase.toMillis())
        .put("backoffCapMs", backoffCap.toMillis())
        .put("retryBudgetRatio", retryBudgetRatio)
        .put("budgetWindowMs", budgetWindow.toMillis())
        .put("breakerMaxFailures", breakerMaxFailures)
        .put("breakerResetMs", breakerReset.toMillis())
        .put("maxConcurrent", maxConcurrent);
  }

  public static ResiliencePolicy fromJson(JsonObject json) {
    return new ResiliencePolicy(
        Duration.ofMillis(json.getLong("timeoutMs")),
        json.getInteger("maxAttempts"),
        Duration.ofMillis(json.getLong("backoffBaseMs")),
        Duration.ofMillis(json.getLong("backoffCapMs")),
        json.getDouble("retryBudgetRatio"),
        Duration.ofMillis(json.getLong("budgetWindowMs")),
        json.getInteger("breakerMaxFailures"),
        Duration.ofMillis(json.getLong("breakerResetMs")),
        json.getInteger("maxConcurrent"));
  }
}
