package io.ordermesh.launcher.node;

import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one Ordermesh node needs to start: the runtime config handed to verticles, which
 * services it deploys, how (or whether) it joins a cluster, and the seed data for first start.
 */
public record NodeSettings(OrdermeshConfig config, Set<Service> services, Optional<ClusterSettings> cluster,
    JsonObject seed, int managementPort, Set<String> sniffRedacted, int gatewayInstances) {

  /** Fields the sniffer never shows unless told otherwise: credentials and personal data. */
  public static final Set<String> DEFAULT_REDACTED = Set.of("password", "token", "secret", "email", "hs256Secret",
      "authorization");

  public NodeSettings {
    services = Set.copyOf(services);
    sniffRedacted = Set.copyOf(sniffRedacted);
    if (gatewayInstances < 1) {
      throw new IllegalArgumentException("--gateway-instances must be at least 1, was " + gatewayInstances);
    }
  }

  /** A node with one gateway instance per core. */
  public NodeSettings(OrdermeshConfig config, Set<Service> services, Optional<ClusterSettings> cluster,
      JsonObject seed, int managementPort, Set<String> sniffRedacted) {
    this(config, services, cluster, seed, managementPort, sniffRedacted, Defaults.GATEWAY_INSTANCES);
  }

  /** A node without a management port, with the default redaction. */
  public NodeSettings(OrdermeshConfig config, Set<Service> services, Optional<ClusterSettings> cluster,
      JsonObject seed) {
    this(config, services, cluster, seed, 0, DEFAULT_REDACTED);
  }
}
