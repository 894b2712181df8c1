package io.ordermesh.launcher.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.XmlConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Loads {@code cluster.xml} and fills in what Hazelcast XML cannot take from the environment:
 * cluster name, member list, interface and port.
 */
final class HazelcastConfig {

  private static final String BUNDLED = "cluster.xml";
  static final String BIND_ANY = "hazelcast.socket.bind.any";

  private HazelcastConfig() {
  }

  static Config build(ClusterSettings cluster) {
    Config config = load(cluster);
    config.setClusterName(cluster.name());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.setPublicAddress(cluster.publicHost() == null ? null : cluster.publicHost() + ":" + cluster.port());
    InterfacesConfig interfaces = network.getInterfaces();
    interfaces.clear();
    interfaces.setEnabled(true).addInterface(cluster.host());
    // The interfaces above choose the address Hazelcast advertises; without this it still listens on
    // every interface, and --cluster-host 127.0.0.1 would leave the cluster's port open to the network.
    config.setProperty(BIND_ANY, "false");
    TcpIpConfig tcpIp = network.getJoin().getTcpIpConfig();
    tcpIp.setEnabled(true).clear();
    if (cluster.members().isEmpty()) {
      tcpIp.addMember(cluster.host() + ":" + cluster.port());
    } else {
      cluster.members().forEach(tcpIp::addMember);
    }
    network.getJoin().getMulticastConfig().setEnabled(false);
    return config;
  }

  private static Config load(ClusterSettings cluster) {
    try (InputStream in = cluster.configFile() != null
        ? Files.newInputStream(cluster.configFile())
        : HazelcastConfig.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("no " + BUNDLED + " in the jar and none given");
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + cluster.configFile(), e);
    }
  }
}
