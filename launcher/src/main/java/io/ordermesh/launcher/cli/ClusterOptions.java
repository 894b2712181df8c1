package io.ordermesh.launcher.cli;

import io.ordermesh.launcher.node.ClusterSettings;
import io.ordermesh.launcher.node.EventBusTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --cluster} and the options that say how to join. */
public final class ClusterOptions {

  private static final Path DEFAULT_CONFIG = Path.of("cluster.xml");
  private static final String AUTO = "auto";

  @Option(names = "--cluster", description = "Join the Hazelcast cluster that carries the event bus (env ORDERMESH_CLUSTER).")
  boolean enabled;

  @Option(names = "--cluster-config", paramLabel = "FILE",
      description = "Hazelcast XML. Default: ./cluster.xml if present, else the copy in the jar")
  Path configFile;

  @Option(names = "--cluster-name", defaultValue = ClusterSettings.DEFAULT_NAME, paramLabel = "NAME",
      description = "Nodes join only clusters of the same name. Default: ${DEFAULT-VALUE}")
  String name;

  @Option(names = "--cluster-host", defaultValue = ClusterSettings.DEFAULT_HOST, paramLabel = "ADDRESS",
      description = "Interface to bind and advertise for Hazelcast and the event bus; 'auto' = this host's "
          + "address (containers). Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--cluster-port", defaultValue = "" + ClusterSettings.DEFAULT_PORT, paramLabel = "N",
      description = "Hazelcast member port of this node. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--cluster-members", paramLabel = "LIST",
      description = "Members to join, host[:port] separated by commas. Default: this node only")
  String members;

  @Option(names = "--cluster-public-host", paramLabel = "ADDRESS",
      description = "Address other nodes reach this one at, when it differs from --cluster-host (NAT, containers)")
  String publicHost;

  @Option(names = "--event-bus-port", defaultValue = "0", paramLabel = "N",
      description = "Event-bus TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}")
  int eventBusPort;

  @Option(names = "--event-bus-keystore", paramLabel = "FILE",
      description = "PKCS#12 with this node's key and certificate: the event bus then speaks TLS and takes only "
          + "peers whose certificate --event-bus-truststore holds (docs/deployment.md). Default: plain TCP")
  Path eventBusKeystore;

  @Option(names = "--event-bus-truststore", paramLabel = "FILE",
      description = "PKCS#12 of the certificates (or their CA) the event bus accepts from peers. "
          + "Default: --event-bus-keystore (one key pair shared by the cluster's nodes)")
  Path eventBusTruststore;

  @Option(names = "--event-bus-keystore-password", paramLabel = "SECRET",
      description = "Password of both stores (env ORDERMESH_EVENT_BUS_KEYSTORE_PASSWORD, or _FILE naming a file)")
  String eventBusKeystorePassword;

  public Optional<ClusterSettings> settings() {
    if (!enabled) {
      if (eventBusKeystore != null) {
        // A node alone has no event-bus connections to protect; the operator meant a cluster.
        throw new IllegalArgumentException("--event-bus-keystore needs --cluster");
      }
      return Optional.empty();
    }
    Path config = configFile != null ? configFile : Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
    List<String> memberList = members == null || members.isBlank()
        ? List.of()
        : Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return Optional.of(new ClusterSettings(config, name, resolve(host), port, memberList, publicHost, eventBusPort,
        eventBusTls()));
  }

  private Optional<EventBusTls> eventBusTls() {
    if (eventBusKeystore == null) {
      if (eventBusTruststore != null) {
        throw new IllegalArgumentException("--event-bus-truststore needs --event-bus-keystore");
      }
      return Optional.empty();
    }
    return Optional.of(EventBusTls.opened(eventBusKeystore, eventBusTruststore, eventBusKeystorePassword));
  }

  /** 'auto' is the address this host's name resolves to: in a container, its address on the network. */
  private static String resolve(String host) {
    if (!AUTO.equals(host)) {
      return host;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("--cluster-host auto: this host's name does not resolve", e);
    }
  }
}
