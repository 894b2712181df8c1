package io.ordermesh.contracts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which service an event-bus address belongs to, by the address prefixes each service owns. */
public final class ServiceAddresses {

  /** A list, not a stream over a map: the gateway asks for every request and fault injection for every message. */
  private static final List<Map.Entry<String, String>> PREFIXES = List.of(
      Map.entry("orders.", OrderAddresses.SERVICE),
      Map.entry("inventory.", InventoryAddresses.SERVICE),
      Map.entry("users.", UserAddresses.SERVICE),
      Map.entry("notifications.", NotificationAddresses.SERVICE));

  private ServiceAddresses() {
  }

  public static Optional<String> serviceOf(String address) {
    for (Map.Entry<String, String> prefix : PREFIXES) {
      if (address.startsWith(prefix.getKey())) {
        return Optional.of(prefix.getValue());
      }
    }
    return Optional.empty();
  }

  public static boolean isService(String name) {
    return PREFIXES.stream().anyMatch(prefix -> prefix.getValue().equals(name));
  }
}
