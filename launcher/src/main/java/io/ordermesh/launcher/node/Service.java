package io.ordermesh.launcher.node;

import io.ordermesh.gateway.GatewayVerticle;
import io.ordermesh.inventory.InventoryVerticle;
import io.ordermesh.notification.NotificationVerticle;
import io.ordermesh.order.OrderVerticle;
import io.ordermesh.user.UserVerticle;
import io.vertx.core.Deployable;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What a node can deploy, by the names {@code --services} takes. Services start before the gateway. */
public enum Service {
  USER("user", UserVerticle::new, true),
  INVENTORY("inventory", InventoryVerticle::new, true),
  ORDER("order", OrderVerticle::new, false),
  NOTIFICATION("notification", NotificationVerticle::new, false),
  GATEWAY("gateway", GatewayVerticle::new, false);

  private final String cliName;
  private final Supplier<Deployable> verticle;
  private final boolean seeds;

  Service(String cliName, Supplier<Deployable> verticle, boolean seeds) {
    this.cliName = cliName;
    this.verticle = verticle;
    this.seeds = seeds;
  }

  /** Whether it loads the demo or load seed ({@code --seed}) into its schema at start-up. */
  public boolean seeds() {
    return seeds;
  }

  public String cliName() {
    return cliName;
  }

  public Deployable newVerticle() {
    return verticle.get();
  }

  public static Set<Service> all() {
    return EnumSet.allOf(Service.class);
  }

  /** Parses {@code order,inventory,gateway}; {@code all} means every service and the gateway. */
  public static Set<Service> parse(String list) {
    if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("all")) {
      return all();
    }
    Set<Service> services = EnumSet.noneOf(Service.class);
    for (String name : list.split(",")) {
      String wanted = name.trim().toLowerCase(Locale.ROOT);
      services.add(Arrays.stream(values()).filter(s -> s.cliName.equals(wanted)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name.trim() + "'; known: "
              + Arrays.stream(values()).map(Service::cliName).collect(Collectors.joining(", ")))));
    }
    return services;
  }
}
