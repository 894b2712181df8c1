package io.ordermesh.launcher.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hazelcast listens where {@code --cluster-host} says, and nowhere else. */
class HazelcastConfigTest {

  @Test
  void aMemberOnLoopbackCannotBeReachedFromTheNetwork() throws Exception {
    Optional<InetAddress> external = nonLoopbackAddress();
    assumeThat(external).as("this machine has a network address besides loopback").isPresent();
    int port = freePort();
    HazelcastInstance member = Hazelcast.newHazelcastInstance(HazelcastConfig.build(new ClusterSettings(null,
        "bind-test-" + UUID.randomUUID(), "127.0.0.1", port, List.of(), null, 0)));
    try {
      assertThat(reachable(InetAddress.getLoopbackAddress(), port)).as("on loopback").isTrue();
      assertThat(reachable(external.get(), port)).as("on " + external.get()).isFalse();
    } finally {
      member.shutdown();
    }
  }

  private static boolean reachable(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof java.net.Inet4Address) {
            return Optional.of(address);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
