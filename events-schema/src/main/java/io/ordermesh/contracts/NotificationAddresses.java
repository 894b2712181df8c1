package io.ordermesh.contracts;

/** The notification service's event-bus contract. */
public final class NotificationAddresses {

  /** Admin: {@code {"orderIds":[…]}} -> {@code {"notifications":{orderId:["CONFIRMED",…]}}}. */
  public static final String CONSISTENCY = "notifications.consistency";

  public static final String SERVICE = "notification";
  public static final String SCHEMA = "notifications";

  private NotificationAddresses() {
  }
}
