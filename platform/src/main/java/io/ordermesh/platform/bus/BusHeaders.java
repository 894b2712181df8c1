package io.ordermesh.platform.bus;

/** Event-bus message header names, shared by the gateway and every service. */
public final class BusHeaders {

  public static final String CORRELATION_ID = "correlationId";
  public static final String TRACEPARENT = "traceparent";
  /** The authenticated caller, set by the gateway; services never trust a customer id from a body. */
  public static final String PRINCIPAL = "principal";
  public static final String ROLES = "roles";
  /**
   * A request's send timeout, in milliseconds: Vert.x fails a request that timed out without any
   * interceptor seeing it, so the sniffer learns of the timeout from this.
   */
  public static final String TIMEOUT_MS = "timeoutMs";
  /**
   * When the caller stops waiting, in epoch milliseconds by its clock: a service that receives the
   * request long after that (it sat in a frozen node) leaves it undone (see {@link Deadlines}).
   */
  public static final String DEADLINE = "deadline";

  private BusHeaders() {
  }
}
