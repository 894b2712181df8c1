package io.ordermesh.platform.service;

/** Event-bus addresses on which each service answers how it is doing. */
public final class ServiceHealth {

  private static final String PREFIX = "ordermesh.health.";

  /**
   * Every node answers here, to local requests only ({@code DeliveryOptions.setLocalOnly(true)}), with
   * its own readiness: {@code {"status":"UP|DOWN","node","cluster":{"member","members"},"services":[...]}}
   * (a member of the cluster, its services up and listed for it in the cluster's subscription map).
   */
  public static final String NODE = PREFIX + "node";

  private ServiceHealth() {
  }

  public static String address(String service) {
    return PREFIX + service;
  }
}
