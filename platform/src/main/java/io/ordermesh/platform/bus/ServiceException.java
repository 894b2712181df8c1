package io.ordermesh.platform.bus;

/** An expected, typed failure of a service operation; it crosses the bus as a ReplyException with its code. */
public final class ServiceException extends RuntimeException {

  private final Failure failure;

  public ServiceException(Failure failure, String message) {
    super(message, null, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
