package io.ordermesh.gateway;

import io.micrometer.core.instrument.Counter;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal: {@code rate} tokens per second, holding at most {@code burst}.
 * Every authenticated response says where the caller stands (IETF {@code RateLimit-Policy} and
 * {@code RateLimit} headers); an empty bucket answers 429 with {@code Retry-After}. Buckets live in
 * this gateway instance (one event loop), least recently used ones are forgotten past a bound.
 */
final class RateLimiter {

  static final String POLICY_HEADER = "RateLimit-Policy";
  static final String STATE_HEADER = "RateLimit";
  private static final String POLICY_NAME = "per-principal";
  private static final int MAX_PRINCIPALS = 100_000;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int rate;
  private final int burst;
  private final LongSupplier clock;
  private final Counter rejected = Counter.builder("ordermesh.ratelimit.rejections")
      .description("Requests refused with 429").register(Metrics.registry());
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_PRINCIPALS;
    }
  };

  RateLimiter(int rate, int burst, LongSupplier nanoClock) {
    this.rate = rate;
    this.burst = Math.max(burst, rate);
    this.clock = nanoClock;
  }

  /** The route handler: lets the request through or answers 429. */
  void handle(RoutingContext ctx) {
    if (rate == 0 || ctx.user() == null) {
      ctx.next();
      return;
    }
    Bucket bucket = buckets.computeIfAbsent(ctx.user().subject(), p -> new Bucket(burst, clock.getAsLong()));
    boolean allowed = bucket.take(clock.getAsLong(), rate, burst);
    ctx.response()
        .putHeader(POLICY_HEADER, "\"" + POLICY_NAME + "\";q=" + rate + ";w=1")
        .putHeader(STATE_HEADER, "\"" + POLICY_NAME + "\";r=" + (long) bucket.tokens + ";t=" + bucket.secondsToNextToken(rate));
    if (allowed) {
      ctx.next();
      return;
    }
    rejected.increment();
    ctx.response().putHeader("Retry-After", Long.toString(bucket.secondsToNextToken(rate)));
    ctx.fail(new HttpProblem(429, "rate-limited", "Too many requests",
        "more than " + rate + " requests per second for this principal"));
  }

  /** Tokens refill continuously; a request takes one. */
  private static final class Bucket {
    private double tokens;
    private long refilledAt;

    Bucket(int tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    boolean take(long now, int rate, int burst) {
      tokens = Math.min(burst, tokens + (now - refilledAt) * (double) rate / NANOS_PER_SECOND);
      refilledAt = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    long secondsToNextToken(int rate) {
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / rate);
    }
  }
}
