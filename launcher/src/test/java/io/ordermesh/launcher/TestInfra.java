package io.ordermesh.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.io.file.PathUtils;

/**
 * Real embedded PostgreSQL and Kafka, started once per test JVM and shared by every test class;
 * each test isolates its data by its own customers, keys and orders. Both listen on loopback; Kafka
 * also has a listener advertised on the {@link NetworkLab} bridge, so that nodes in network
 * namespaces can use them through a {@link TcpRelay} there.
 */
public final class TestInfra {

  private static final int PARTITIONS = 4;
  private static final int LOWEST_TEST_PORT = 20_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();
  private static final Set<Path> homes = ConcurrentHashMap.newKeySet();
  private static EmbeddedInfra shared;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TestInfra::stopAndCleanUp, "test-infra-shutdown"));
  }

  private TestInfra() {
  }

  public static synchronized EmbeddedInfra shared() {
    if (shared == null) {
      shared = EmbeddedInfra.start(new Home(newHome("ordermesh-test-infra")), EmbeddedInfra.Ports.FREE, true, true,
          PARTITIONS, NetworkLab.bridgeAddress());
    }
    return shared;
  }

  /**
   * The shared infra stops with the JVM, and the homes the tests made go with it: each run's
   * PostgreSQL data and Kafka log would otherwise stay behind in /tmp, a hundred megabytes or more.
   */
  private static synchronized void stopAndCleanUp() {
    if (shared != null) {
      shared.close();
    }
    for (Path home : homes) {
      try {
        PathUtils.deleteDirectory(home);
      } catch (IOException e) {
        System.err.printf("test home %s left behind: %s%n", home, e);
      }
    }
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
   * private to root), deleted when the JVM exits.
   */
  public static Path newHome(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      homes.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port nothing listens on now, for a node under test to bind (see {@link #ephemeralRangeLow}). */
  public static int freePort() {
    int ephemeralLow = ephemeralRangeLow();
    if (ephemeralLow - LOWEST_TEST_PORT < 1_000) {
      return anyFreePort();
    }
    for (int attempt = 0; attempt < 500; attempt++) {
      int port = LOWEST_TEST_PORT + ThreadLocalRandom.current().nextInt(ephemeralLow - LOWEST_TEST_PORT);
      if (handedOut.add(port) && bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port below " + ephemeralLow);
  }

  /**
   * The kernel gives connections their local ports from the ephemeral range; a port probed free there
   * can be taken by some connection before the node under test binds it (seen in CI). Below that
   * range only another listener can take it, and ports are never handed out twice in one JVM.
   */
  private static int ephemeralRangeLow() {
    try {
      // Not Files.readString: a /proc file reports a size of 0, and on Java 17 that read answered "3" for
      // "32768 60999", so every free port came from the ephemeral range, where an outgoing connection
      // could take it before the node under test bound it ("Address already in use").
      return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int anyFreePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
