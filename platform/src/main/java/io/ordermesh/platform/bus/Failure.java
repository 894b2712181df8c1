package io.ordermesh.platform.bus;

import java.util.Arrays;

/**
 * Failure codes carried by {@link io.vertx.core.eventbus.ReplyException} across the event bus.
 * The gateway maps them to HTTP statuses and problem types in one place; the codes are chosen to
 * equal those statuses so that a log line reads the same on both sides.
 */
public enum Failure {
  BAD_REQUEST(400, "bad-request"),
  NOT_FOUND(404, "not-found"),
  CONFLICT(409, "conflict"),
  UNPROCESSABLE(422, "unprocessable"),
  UNAVAILABLE(503, "unavailable"),
  INTERNAL(500, "internal");

  private final int code;
  private final String slug;

  Failure(int code, String slug) {
    this.code = code;
    this.slug = slug;
  }

  public int code() {
    return code;
  }

  /** The last path segment of the problem type URI. */
  public String slug() {
    return slug;
  }

  public ServiceException exception(String message) {
    return new ServiceException(this, message);
  }

  public static Failure fromCode(int code) {
    return Arrays.stream(values()).filter(f -> f.code == code).findFirst().orElse(INTERNAL);
  }
}
