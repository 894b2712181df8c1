package io.ordermesh.launcher.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a node joins the Hazelcast cluster that carries the event bus.
 *
 * @param configFile the Hazelcast XML ({@code cluster.xml}); null means the copy inside the jar
 * @param host the interface this node binds and advertises, for Hazelcast and the event bus
 * @param port the Hazelcast member port (others find this node there)
 * @param members {@code host[:port]} of members to join; empty means "start or join on this host"
 * @param publicHost the address other nodes reach this node's event bus at, when it differs (NAT, containers)
 * @param eventBusPort the event-bus TCP port; 0 picks a free one
 * @param eventBusTls mutual TLS between the nodes' event buses; empty means plain TCP
 */
public record ClusterSettings(Path configFile, String name, String host, int port, List<String> members,
    String publicHost, int eventBusPort, Optional<EventBusTls> eventBusTls) {

  public static final String DEFAULT_NAME = "ordermesh";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;

  public ClusterSettings {
    members = List.copyOf(members);
  }

  /** Settings whose event bus speaks plain TCP. */
  public ClusterSettings(Path configFile, String name, String host, int port, List<String> members,
      String publicHost, int eventBusPort) {
    this(configFile, name, host, port, members, publicHost, eventBusPort, Optional.empty());
  }
}
