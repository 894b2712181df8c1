package io.ordermesh.gateway;

import java.time.Duration;

/**
 * An RFC 9457 problem the gateway answers with: status, a type slug (the last segment of the type
 * URI), a title and a detail for this occurrence.
 */
public final class HttpProblem extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final Duration retryAfter;

  public HttpProblem(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, null);
  }

  private HttpProblem(int status, String slug, String title, String detail, Duration retryAfter) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.retryAfter = retryAfter;
  }

  /** The same problem, telling the client when a retry may succeed (a 503's {@code Retry-After}). */
  public HttpProblem retryAfter(Duration wait) {
    return new HttpProblem(status, slug, title, getMessage(), wait);
  }

  /** Whole seconds to wait before a retry (rounded up, at least one): this problem's own, else {@code fallback}. */
  public long retryAfterSeconds(Duration fallback) {
    Duration wait = retryAfter == null ? fallback : retryAfter;
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  public static HttpProblem badRequest(String detail) {
    return new HttpProblem(400, "bad-request", "Bad request", detail);
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }
}
