package io.ordermesh.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ordermesh.infra.postgres.EmbeddedPostgres;
import io.ordermesh.platform.inbox.PlatformTestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which wire a service's pool takes to a real PostgreSQL: its Unix socket when it has one here, else TCP. */
class DatabaseTest {

  /** {@code inet_client_addr()} is null exactly for a connection over a Unix socket. */
  private static final String OVER_UNIX_SOCKET = "SELECT inet_client_addr() IS NULL AS unix";

  private final EmbeddedPostgres postgres = PlatformTestInfra.postgres();
  private Vertx vertx;
  private Database db;

  @AfterEach
  void close() throws Exception {
    if (db != null) {
      await(db.close());
    }
    await(vertx.close());
  }

  @Test
  void poolConnectsThroughTheServersUnixSocketWhenItHasOne() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assumeTrue(vertx.isNativeTransportEnabled(), "a native transport (Linux x86-64 here)");
    String socket = postgres.socketDirectory().orElseThrow().toString();

    db = Database.connect(vertx, postgres.uri(), socket, "public", 2);

    assertThat(overUnixSocket()).isTrue();
    assertThat(db.jdbcUrl()).as("migrations keep to TCP").startsWith("jdbc:postgresql://127.0.0.1:");
  }

  @Test
  void poolKeepsToTcpWithoutASocketOrWithoutANativeTransport() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    String socket = postgres.socketDirectory().orElseThrow().toString();

    db = Database.connect(vertx, postgres.uri(), socket, "public", 2);
    boolean nioWithSocket = overUnixSocket();
    await(db.close());
    db = Database.connect(vertx, postgres.uri(), null, "public", 2);

    assertThat(nioWithSocket).isFalse();
    assertThat(overUnixSocket()).isFalse();
  }

  @Test
  void asksTheServerToProbeItsTcpConnectionsSoAVanishedNodesSessionsAndLocksAreDropped() throws Exception {
    vertx = Vertx.vertx();
    db = Database.connect(vertx, postgres.uri(), null, "public", 2);

    var settings = await(db.pool().query("SELECT current_setting('tcp_keepalives_idle') AS idle,"
        + " current_setting('tcp_keepalives_interval') AS interval, current_setting('tcp_keepalives_count') AS count")
        .execute()).iterator().next();

    assertThat(settings.getString("idle")).isEqualTo("10");
    assertThat(settings.getString("interval")).isEqualTo("5");
    assertThat(settings.getString("count")).isEqualTo("3");
  }

  private boolean overUnixSocket() throws Exception {
    return await(db.pool().query(OVER_UNIX_SOCKET).execute()).iterator().next().getBoolean("unix");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
