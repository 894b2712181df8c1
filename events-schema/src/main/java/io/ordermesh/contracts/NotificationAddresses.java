package io.ordermesh.contracts;

/** The notification service's identity (it has no request/reply API yet; it only consumes events). */
public final class NotificationAddresses {

  public static final String SERVICE = "notification";
  public static final String SCHEMA = "notifications";

  private NotificationAddresses() {
  }
}
