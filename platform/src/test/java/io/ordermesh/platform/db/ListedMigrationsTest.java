package io.ordermesh.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.platform.inbox.PlatformTestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flyway given the migrations as the start listed them does what it does when it scans for them:
 * the same scripts, descriptions and checksums in the history, the same tables.
 */
class ListedMigrationsTest {

  private static final List<String> FOLDERS = List.of("db/platform", "db/inboxtest");
  private static final String HISTORY = "SELECT string_agg(concat_ws('|', version, description, type, script, checksum,"
      + " success), E'\\n' ORDER BY installed_rank) FROM flyway_schema_history WHERE type <> 'SCHEMA'";
  private static final String TABLES = "SELECT string_agg(table_name, ',' ORDER BY table_name)"
      + " FROM information_schema.tables WHERE table_schema = current_schema()";

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  void flywayRecordsTheSameHistoryFromTheListingAsFromItsOwnScan() throws Exception {
    Database listed = Database.connect(vertx, PlatformTestInfra.postgres().uri(), "listed_" + suffix, 1);
    Database scanned = Database.connect(vertx, PlatformTestInfra.postgres().uri(), "scanned_" + suffix, 1);
    try {
      await(listed.migrate(FOLDERS, java.util.Optional.empty()));
      await(vertx.executeBlocking(() -> scanned.flyway(FOLDERS).load().migrate()));

      String history = one(listed, HISTORY);
      assertThat(history).as("the platform's migrations and the service's").contains("V0_1__outbox_and_inbox.sql")
          .contains("V1__applied.sql");
      assertThat(history).isEqualTo(one(scanned, HISTORY));
      assertThat(one(listed, TABLES)).isEqualTo(one(scanned, TABLES));
    } finally {
      await(listed.close());
      await(scanned.close());
    }
  }

  @Test
  void findsMigrationsAndCallbacksByFlywaysOwnNamingRule() {
    ClassLoader loader = getClass().getClassLoader();
    ListedMigrations migrations = new ListedMigrations(MigrationFiles.sqlFiles(loader, FOLDERS).orElseThrow(), loader,
        java.nio.charset.StandardCharsets.UTF_8);

    assertThat(migrations.getResources("V", new String[] {".sql"})).extracting(r -> r.getFilename())
        .contains("V0_1__outbox_and_inbox.sql", "V1__applied.sql");
    assertThat(migrations.getResources("R", new String[] {".sql"})).isEmpty();
    assertThat(migrations.getResources("beforeMigrate", new String[] {".sql"})).isEmpty();
    assertThat(migrations.getResource("v1__APPLIED.sql")).as("looked up by name, as Flyway's scanner does").isNotNull();
    assertThat(migrations.getResource("V1__applied.sql.conf")).isNull();
  }

  private String one(Database db, String query) throws Exception {
    Row row = await(db.pool().query(query).execute()).iterator().next();
    return row.getString(0);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
