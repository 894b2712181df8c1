package io.ordermesh.launcher.node;

import io.ordermesh.platform.config.OrdermeshConfig;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one Ordermesh node needs to start: the runtime config handed to verticles, which
 * services it deploys, how (or whether) it joins a cluster, and the seed data for first start.
 */
public record NodeSettings(OrdermeshConfig config, Set<Service> services, Optional<ClusterSettings> cluster,
    JsonObject seed, int managementPort) {

  public NodeSettings {
    services = Set.copyOf(services);
  }

  /** A node without a management port. */
  public NodeSettings(OrdermeshConfig config, Set<Service> services, Optional<ClusterSettings> cluster,
      JsonObject seed) {
    this(config, services, cluster, seed, 0);
  }
}
