package io.ordermesh.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Real embedded PostgreSQL and Kafka, started once per test JVM and shared by every test class;
 * each test isolates its data by its own customers, keys and orders. Both listen on loopback; Kafka
 * also has a listener advertised on the {@link NetworkLab} bridge, so that nodes in network
 * namespaces can use them through a {@link TcpRelay} there.
 */
public final class TestInfra {

  private static final int PARTITIONS = 4;
  private static EmbeddedInfra shared;

  private TestInfra() {
  }

  public static synchronized EmbeddedInfra shared() {
    if (shared == null) {
      shared = EmbeddedInfra.start(new Home(newHome("ordermesh-test-infra")), EmbeddedInfra.Ports.FREE, true, true,
          PARTITIONS, NetworkLab.bridgeAddress());
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-infra-shutdown"));
    }
    return shared;
  }

  /** The shared PostgreSQL's loopback port. */
  public static int postgresPort() {
    return java.net.URI.create(shared().postgresUri().orElseThrow()).getPort();
  }

  /** The shared PostgreSQL's URI with another host and port: the way to it through a relay. */
  public static String postgresUriThrough(String host, int port) {
    java.net.URI uri = java.net.URI.create(shared().postgresUri().orElseThrow());
    return uri.getScheme() + "://" + uri.getRawUserInfo() + "@" + host + ":" + port + uri.getRawPath();
  }

  /** The loopback port of Kafka's relayed listener; a relay on the bridge address must listen on the same port. */
  public static int kafkaRelayedPort() {
    return shared().kafkaRelayedPort().orElseThrow();
  }

  /**
   * A fresh home under /tmp that the unprivileged PostgreSQL user can enter (JUnit's @TempDir is
   * private to root).
   */
  public static Path newHome(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
