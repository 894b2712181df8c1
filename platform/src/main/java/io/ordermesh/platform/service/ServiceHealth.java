package io.ordermesh.platform.service;

/** Event-bus addresses on which each service answers how it is doing. */
public final class ServiceHealth {

  private static final String PREFIX = "ordermesh.health.";

  private ServiceHealth() {
  }

  public static String address(String service) {
    return PREFIX + service;
  }
}
