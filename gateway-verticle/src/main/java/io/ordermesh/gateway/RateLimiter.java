package io.ordermesh.gateway;

import io.micrometer.core.instrument.Counter;
import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal: {@code rate} tokens per second, holding at most {@code burst}.
 * Every authenticated response says where the caller stands (IETF {@code RateLimit-Policy} and
 * {@code RateLimit} headers); an empty bucket answers 429 with {@code Retry-After}.
 *
 * <p>The limit is the principal's, not this instance's: every gateway instance in the cluster
 * publishes what each principal spent on it once per share interval, and the others debit their own
 * buckets by as much. The decision stays local (no remote call on the request path); a principal
 * spreading requests over N instances can overrun its limit by at most what the other instances let
 * through in one interval. Least recently used buckets are forgotten past a bound.
 *
 * <p>One per node: the gateway's instances there share it ({@link DeploymentShared}, its state behind this
 * object's lock), so a node publishes once per interval whatever its core count, and its instances
 * never overrun a principal's limit between them.
 */
final class RateLimiter {

  static final String POLICY_HEADER = "RateLimit-Policy";
  static final String STATE_HEADER = "RateLimit";
  /** Where gateway instances publish what their principals spent (cluster-wide). */
  static final String SPENT_ADDRESS = "ordermesh.gateway.ratelimit.spent";
  private static final String POLICY_NAME = "per-principal";
  /** Tokens without a subject share one bucket rather than escape the limit. */
  private static final String NO_SUBJECT = "";
  private static final int MAX_PRINCIPALS = 100_000;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Vertx vertx;
  private final String instanceId = UUID.randomUUID().toString();
  private final int rate;
  private final int burst;
  private final long shareIntervalMillis;
  private final String policy;
  private final LongSupplier clock;
  private final Counter rejected = Counter.builder("ordermesh.ratelimit.rejections")
      .description("Requests refused with 429").register(Metrics.registry());
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_PRINCIPALS;
    }
  };
  private Map<String, Integer> spentSinceShared = new HashMap<>();
  private Future<Void> sharing;

  RateLimiter(Vertx vertx, GatewayConfig config, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.rate = config.rateLimitPerSecond();
    this.burst = Math.max(config.rateLimitBurst(), rate);
    this.shareIntervalMillis = config.rateLimitShareInterval().toMillis();
    this.policy = policy(rate, burst);
    this.clock = nanoClock;
  }

  /**
   * The bucket as a quota per window: {@code rate} per second over the seconds a full bucket lasts
   * (100/s with bursts of 200 is {@code q=200;w=2}), so that what {@code RateLimit} reports left
   * never exceeds the quota (with {@code q=100;w=1} a fresh client read {@code r=199}).
   */
  private static String policy(int rate, int burst) {
    int window = rate == 0 ? 1 : Math.max(1, (burst + rate - 1) / rate);
    return "\"" + POLICY_NAME + "\";q=" + (long) rate * window + ";w=" + window;
  }

  /**
   * Starts hearing what other instances spent and telling them what this one spent; both end with
   * the verticle that called it.
   */
  synchronized Future<Void> shareAcrossInstances() {
    if (rate == 0) {
      return Future.succeededFuture();
    }
    // The node's first instance to start registers both, on its context, and they end with the deployment.
    if (sharing == null) {
      vertx.setPeriodic(shareIntervalMillis, timer -> publishSpent());
      sharing = vertx.eventBus().<JsonObject>consumer(SPENT_ADDRESS, this::debitSpentElsewhere).completion();
    }
    return sharing;
  }

  /** The route handler: lets the request through or answers 429. */
  void handle(RoutingContext ctx) {
    if (rate == 0 || ctx.user() == null) {
      ctx.next();
      return;
    }
    String principal = ctx.user().subject() == null ? NO_SUBJECT : ctx.user().subject();
    Decision decision = take(principal);
    ctx.response()
        .putHeader(POLICY_HEADER, policy)
        .putHeader(STATE_HEADER, "\"" + POLICY_NAME + "\";r=" + decision.left() + ";t=" + decision.secondsToNextToken());
    if (decision.allowed()) {
      ctx.next();
      return;
    }
    rejected.increment();
    ctx.response().putHeader("Retry-After", Long.toString(decision.secondsToNextToken()));
    ctx.fail(new HttpProblem(429, "rate-limited", "Too many requests",
        "more than " + rate + " requests per second for this principal"));
  }

  /** What one request's token left behind; decided under the lock, answered outside it. */
  private record Decision(boolean allowed, long left, long secondsToNextToken) {
  }

  private synchronized Decision take(String principal) {
    Bucket bucket = bucketOf(principal);
    boolean allowed = bucket.take(clock.getAsLong(), rate, burst);
    if (allowed) {
      spentSinceShared.merge(principal, 1, Integer::sum);
    }
    return new Decision(allowed, bucket.whole(), bucket.secondsToNextToken(rate));
  }

  private Bucket bucketOf(String principal) {
    return buckets.computeIfAbsent(principal, p -> new Bucket(burst, clock.getAsLong()));
  }

  private synchronized void publishSpent() {
    if (spentSinceShared.isEmpty()) {
      return;
    }
    JsonObject spent = new JsonObject();
    spentSinceShared.forEach(spent::put);
    spentSinceShared = new HashMap<>();
    vertx.eventBus().publish(SPENT_ADDRESS, new JsonObject().put("from", instanceId).put("spent", spent));
  }

  private synchronized void debitSpentElsewhere(Message<JsonObject> message) {
    if (instanceId.equals(message.body().getString("from"))) {
      return;
    }
    long now = clock.getAsLong();
    message.body().getJsonObject("spent").forEach(entry ->
        bucketOf(entry.getKey()).debit(now, ((Number) entry.getValue()).intValue(), rate, burst));
  }

  /** Tokens refill continuously; a request here takes one, requests elsewhere take theirs later. */
  private static final class Bucket {
    private double tokens;
    private long refilledAt;

    Bucket(int tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    boolean take(long now, int rate, int burst) {
      refill(now, rate, burst);
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    /**
     * Spends what other instances let through. The balance may go below zero (the principal overran
     * the limit across instances and waits it off), but never below one burst, so a debt is bounded.
     */
    void debit(long now, int spent, int rate, int burst) {
      refill(now, rate, burst);
      tokens = Math.max(-burst, tokens - spent);
    }

    private void refill(long now, int rate, int burst) {
      tokens = Math.min(burst, tokens + (now - refilledAt) * (double) rate / NANOS_PER_SECOND);
      refilledAt = now;
    }

    long whole() {
      return Math.max(0, (long) tokens);
    }

    long secondsToNextToken(int rate) {
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / rate);
    }
  }
}
