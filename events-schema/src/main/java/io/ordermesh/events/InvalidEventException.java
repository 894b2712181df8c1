package io.ordermesh.events;

/** A record that is not a valid event of a known type and version; consumers send it to the DLQ. */
public final class InvalidEventException extends RuntimeException {

  private final String reason;

  public InvalidEventException(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** A short machine-readable reason: {@code MALFORMED}, {@code UNKNOWN_TYPE}, {@code UNKNOWN_VERSION}, {@code SCHEMA}. */
  public String reason() {
    return reason;
  }

  public static InvalidEventException malformed(String message) {
    return new InvalidEventException("MALFORMED", message);
  }
}
