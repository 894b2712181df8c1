package io.ordermesh.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards TCP connections made to {@code host:port} to a loopback port of this machine, byte for byte,
 * with back-pressure both ways. Lets processes in network namespaces reach the test PostgreSQL and
 * Kafka, which listen on loopback only.
 */
final class TcpRelay implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";

  private final int targetPort;
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();

  private TcpRelay(Vertx vertx, int targetPort) {
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::relay);
  }

  /** Listens on {@code host:port} ({@code port} 0 picks a free one) and forwards to loopback {@code targetPort}. */
  static TcpRelay start(Vertx vertx, String host, int port, int targetPort) {
    TcpRelay relay = new TcpRelay(vertx, targetPort);
    TestNodes.join(relay.server.listen(port, host));
    return relay;
  }

  int port() {
    return server.actualPort();
  }

  private void relay(NetSocket inbound) {
    inbound.pause();
    sockets.add(inbound);
    inbound.closeHandler(v -> sockets.remove(inbound));
    client.connect(targetPort, LOOPBACK)
        .onSuccess(outbound -> {
          sockets.add(outbound);
          outbound.closeHandler(v -> {
            sockets.remove(outbound);
            inbound.close();
          });
          inbound.closeHandler(v -> {
            sockets.remove(inbound);
            outbound.close();
          });
          inbound.pipeTo(outbound);
          outbound.pipeTo(inbound);
        })
        .onFailure(error -> inbound.close());
  }

  @Override
  public void close() {
    TestNodes.join(server.close().eventually(() -> Future.join(sockets.stream().map(NetSocket::close).toList()))
        .eventually(client::close));
  }
}
