package io.ordermesh.launcher.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four nodes in one Hazelcast cluster: two hold the cluster's key pair, one a key pair of its own,
 * one none. Hazelcast lets all four in (it has no TLS here); the event bus carries messages only
 * between the two that trust each other.
 */
class EventBusTlsIT {

  private static final String PASSWORD = "cluster-store-password";
  private static final String ECHO = "tls-test.echo";
  /** For a request that must go unanswered: long enough for a refused handshake to be one, short for the build. */
  private static final DeliveryOptions SHORT = new DeliveryOptions().setSendTimeout(3_000);
  /**
   * For a request that must be answered: the first one between two nodes also opens their TLS link in
   * cold JVMs, and once, in CI on a slow 2-core machine, its answer took over 3 s.
   */
  private static final DeliveryOptions ANSWERED = new DeliveryOptions().setSendTimeout(15_000);

  @TempDir
  static Path dir;

  private static final List<Vertx> nodes = new ArrayList<>();
  private static final Set<String> heardFrom = ConcurrentHashMap.newKeySet();
  private static Vertx member;
  private static Vertx peer;
  private static Vertx stranger;
  private static Vertx plain;

  @BeforeAll
  static void startFourNodes() throws Exception {
    Path clusterKeys = TestKeyStores.keyPair(dir.resolve("cluster.p12"), PASSWORD);
    Path strangerKeys = TestKeyStores.keyPair(dir.resolve("stranger.p12"), PASSWORD);
    String name = "tls-" + UUID.randomUUID();
    List<Integer> ports = List.of(freePort(), freePort(), freePort(), freePort());
    List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
    member = start(name, ports.get(0), members, Optional.of(EventBusTls.opened(clusterKeys, null, PASSWORD)));
    peer = start(name, ports.get(1), members, Optional.of(EventBusTls.opened(clusterKeys, null, PASSWORD)));
    stranger = start(name, ports.get(2), members, Optional.of(EventBusTls.opened(strangerKeys, null, PASSWORD)));
    plain = start(name, ports.get(3), members, Optional.empty());
    for (Vertx node : nodes) {
      node.eventBus().<String>consumer(ECHO + "." + nodes.indexOf(node), message -> {
        heardFrom.add(message.body());
        message.reply(message.body());
      }).completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopNodes() throws Exception {
    Future.join(nodes.stream().map(Vertx::close).toList()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  void nodesHoldingTheClustersKeysTalkOverTls() throws Exception {
    assertThat(ask(peer, member, "peer", ANSWERED)).isEqualTo("peer");
    assertThat(ask(member, peer, "member", ANSWERED)).isEqualTo("member");
  }

  @Test
  void aNodeWithACertificateTheClusterDoesNotTrustCanNeitherSendNorReceive() {
    assertThatThrownBy(() -> ask(stranger, member, "stranger", SHORT)).hasCauseInstanceOf(ReplyException.class);
    assertThatThrownBy(() -> ask(member, stranger, "member-to-stranger", SHORT)).hasCauseInstanceOf(ReplyException.class);
    assertThat(heardFrom).doesNotContain("stranger", "member-to-stranger");
  }

  @Test
  void aNodeWithoutTlsCanNeitherSendNorReceive() {
    assertThatThrownBy(() -> ask(plain, member, "plain", SHORT)).hasCauseInstanceOf(ReplyException.class);
    assertThatThrownBy(() -> ask(member, plain, "member-to-plain", SHORT)).hasCauseInstanceOf(ReplyException.class);
    assertThat(heardFrom).doesNotContain("plain", "member-to-plain");
  }

  /** The body names the sender, so the receiving side records who reached it. */
  private static String ask(Vertx from, Vertx to, String body, DeliveryOptions options) throws Exception {
    return from.eventBus().<String>request(ECHO + "." + nodes.indexOf(to), body, options)
        .map(reply -> reply.body())
        .toCompletionStage().toCompletableFuture().get(options.getSendTimeout() + 10_000, TimeUnit.MILLISECONDS);
  }

  private static Vertx start(String name, int port, List<String> members, Optional<EventBusTls> tls) throws Exception {
    ClusterSettings settings = new ClusterSettings(null, name, "127.0.0.1", port, members, null, 0, tls);
    Vertx node = ClusteredVertx.start(new VertxOptions(), settings).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
