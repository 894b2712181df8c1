package io.ordermesh.contracts;

import java.util.Map;
import java.util.Optional;

/** Which service an event-bus address belongs to, by the address prefixes each service owns. */
public final class ServiceAddresses {

  private static final Map<String, String> PREFIXES = Map.of(
      "orders.", OrderAddresses.SERVICE,
      "inventory.", InventoryAddresses.SERVICE,
      "users.", UserAddresses.SERVICE,
      "notifications.", NotificationAddresses.SERVICE);

  private ServiceAddresses() {
  }

  public static Optional<String> serviceOf(String address) {
    return PREFIXES.entrySet().stream().filter(e -> address.startsWith(e.getKey())).map(Map.Entry::getValue)
        .findFirst();
  }

  public static boolean isService(String name) {
    return PREFIXES.containsValue(name);
  }
}
