package io.ordermesh.testing;

import io.ordermesh.infra.postgres.EmbeddedPostgres;
import io.ordermesh.infra.postgres.PostgresSettings;
import io.ordermesh.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;

/** One embedded PostgreSQL for the services' tests in this JVM; each test class works in a schema of its own. */
public final class TestPostgres {

  private static EmbeddedPostgres postgres;

  private TestPostgres() {
  }

  public static synchronized String uri() {
    if (postgres == null) {
      Path home = home();
      postgres = EmbeddedPostgres.start(new PostgresSettings(home, 0, "services", "services", "services"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(home), "services-test-postgres-stop"));
    }
    return postgres.uri();
  }

  /**
   * A service's database in a schema of its own ({@code service} and a random suffix), its migrations
   * applied: each test gets a clean schema of the one shared server.
   */
  public static Database migratedSchema(Vertx vertx, String service, String migrations) {
    Database db = Database.connect(vertx, uri(), service + "_" + UUID.randomUUID().toString().substring(0, 8), 2);
    join(db.migrate(migrations));
    return db;
  }

  /** Waits for a future of the test's Vert.x, from the test's thread. */
  public static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server with the JVM and deletes its data: every test run would otherwise leave it in /tmp. */
  private static void stopAndDelete(Path home) {
    postgres.close();
    try {
      PathUtils.deleteDirectory(home);
    } catch (IOException e) {
      System.err.printf("test home %s left behind: %s%n", home, e);
    }
  }

  /** A directory the unprivileged PostgreSQL user can enter when tests run as root. */
  private static Path home() {
    try {
      Path dir = Files.createTempDirectory("ordermesh-services-pg");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
