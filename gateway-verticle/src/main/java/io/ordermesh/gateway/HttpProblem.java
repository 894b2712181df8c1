package io.ordermesh.gateway;

/**
 * An RFC 9457 problem the gateway answers with: status, a type slug (the last segment of the type
 * URI), a title and a detail for this occurrence.
 */
public final class HttpProblem extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;

  public HttpProblem(int status, String slug, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
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
