package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL and Kafka start side by side; when either cannot start, the other is stopped once it has
 * started, and the failure is the server's own.
 */
class EmbeddedInfraIT {

  @Test
  void stopsThePostgresThatStartedBesideAKafkaThatCouldNotStart() throws IOException {
    EmbeddedInfra.Ports ports = new EmbeddedInfra.Ports(TestInfra.freePort(), TestInfra.freePort(), TestInfra.freePort());
    try (ServerSocket taken = bound(ports.kafka())) {
      assertThatThrownBy(() -> start(ports)).isNotInstanceOf(CompletionException.class);
    }

    assertThat(listening(ports.postgres())).as("PostgreSQL stopped with the failed start").isFalse();
  }

  @Test
  void throwsThePostgresFailureAsItIsAndStopsKafka() throws IOException {
    EmbeddedInfra.Ports ports = new EmbeddedInfra.Ports(TestInfra.freePort(), TestInfra.freePort(), TestInfra.freePort());
    try (ServerSocket taken = bound(ports.postgres())) {
      assertThatThrownBy(() -> start(ports)).isNotInstanceOf(CompletionException.class)
          .hasMessageContaining("PostgreSQL");
    }

    assertThat(listening(ports.kafka())).as("Kafka stopped with the failed start").isFalse();
  }

  private static void start(EmbeddedInfra.Ports ports) {
    EmbeddedInfra.start(new Home(TestInfra.newHome("ordermesh-infra-failure")), ports, true, true, 1).close();
  }

  private static ServerSocket bound(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
