package io.ordermesh.launcher.cli;

import io.ordermesh.launcher.node.ClusterSettings;
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

  public Optional<ClusterSettings> settings() {
    if (!enabled) {
      return Optional.empty();
    }
    Path config = configFile != null ? configFile : Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
    List<String> memberList = members == null || members.isBlank()
        ? List.of()
        : Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return Optional.of(new ClusterSettings(config, name, resolve(host), port, memberList, publicHost, eventBusPort));
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
