package io.ordermesh.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordermesh.platform.db.Database.MigrationOutcome;
import io.ordermesh.platform.inbox.PlatformTestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A start skips Flyway only when Flyway would find nothing to apply and nothing to object to. */
class MigrationShortcutTest {

  private static final String MIGRATIONS = "db/inboxtest";

  private final String schema = "shortcut_" + UUID.randomUUID().toString().substring(0, 8);
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
  void skipsFlywayOnceFlywayCheckedTheSameMigrationsAgainstTheSameHistory() throws Exception {
    MigrationOutcome applying = migrate();
    MigrationOutcome restarting = migrate();

    assertThat(applying).isEqualTo(MigrationOutcome.CHECKED_BY_FLYWAY);
    assertThat(restarting).as("the history is the one Flyway extended with what it applied")
        .isEqualTo(MigrationOutcome.UNCHANGED_SINCE_LAST_CHECK);
  }

  @Test
  void recordsNoCheckWhenTheHistoryIsNotTheOneFoundPlusWhatFlywayApplied() throws Exception {
    migrate();
    sql("DELETE FROM migration_checks");
    String history = query("SELECT history FROM (" + Database.HISTORY + ") h");
    String beforeLast = history.substring(0, history.lastIndexOf('\n'));
    String lastVersion = history.substring(history.lastIndexOf('\n') + 1).split("\\|")[1];

    remember(beforeLast, List.of("99"));
    remember(beforeLast.substring(0, beforeLast.length() - 1) + "f", List.of(lastVersion));
    assertThat(query("SELECT count(*)::text FROM migration_checks"))
        .as("not what Flyway applied; not the history it found").isEqualTo("0");

    remember(beforeLast, List.of(lastVersion));
    assertThat(query("SELECT count(*)::text FROM migration_checks")).isEqualTo("1");
  }

  @Test
  void flywayRunsAgainAndObjectsWhenTheHistoryChangedSinceItsCheck() throws Exception {
    migrate();
    migrate();
    sql("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '0.1'");

    assertThatThrownBy(this::migrate).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(FlywayValidateException.class);
  }

  @Test
  void flywayRunsAgainWhenTheRecordOfItsCheckIsGone() throws Exception {
    migrate();
    migrate();
    sql("DELETE FROM migration_checks");

    assertThat(migrate()).isEqualTo(MigrationOutcome.CHECKED_BY_FLYWAY);
    assertThat(migrate()).isEqualTo(MigrationOutcome.UNCHANGED_SINCE_LAST_CHECK);
  }

  @Test
  void nodesOfTwoBuildsTakingTurnsBothKeepTheShortcut() throws Exception {
    migrate("build-a");
    migrate("build-a");
    migrate("build-b");

    assertThat(migrate("build-a")).isEqualTo(MigrationOutcome.UNCHANGED_SINCE_LAST_CHECK);
    assertThat(migrate("build-b")).isEqualTo(MigrationOutcome.UNCHANGED_SINCE_LAST_CHECK);
  }

  @Test
  void withoutAFingerprintFlywayAlwaysChecks() throws Exception {
    migrate();
    migrate();

    assertThat(migrate(null)).isEqualTo(MigrationOutcome.CHECKED_BY_FLYWAY);
  }

  @Test
  void appliesABuildsPendingMigrationsWhollyOrNotAtAll() throws Exception {
    assertThatThrownBy(() -> migrateFolders(List.of("db/platform", "db/brokentest")))
        .isInstanceOf(ExecutionException.class);

    assertThat(query("SELECT count(*)::text FROM flyway_schema_history WHERE success AND type <> 'SCHEMA'"))
        .as("neither the platform's migrations nor the one before the broken one").isEqualTo("0");
    assertThat(query("SELECT (to_regclass('applied_before_the_broken_one') IS NULL)::text")).isEqualTo("true");
    assertThat(migrate()).as("the schema takes a good build afterwards").isEqualTo(MigrationOutcome.CHECKED_BY_FLYWAY);
  }

  @Test
  void appliesAPlatformMigrationOfALaterBuildBelowTheServicesAppliedOnes() throws Exception {
    // A schema whose service migrations (1, ...) are applied, then a build whose platform migrations
    // (0.x, numbered below them) are new to it: the case of every platform migration added to a running system.
    migrateFolders(List.of(MIGRATIONS));

    assertThat(migrateFolders(List.of("db/platform", MIGRATIONS))).isEqualTo(MigrationOutcome.CHECKED_BY_FLYWAY);
    assertThat(query("SELECT (to_regclass('outbox_refused') IS NOT NULL)::text")).isEqualTo("true");
  }

  @Test
  void keepsTheShortcutAfterApplyingAPlatformMigrationOutOfOrder() throws Exception {
    migrateFolders(List.of(MIGRATIONS));

    assertThat(migrate("with-platform")).isEqualTo(MigrationOutcome.CHECKED_BY_FLYWAY);
    assertThat(migrate("with-platform")).as("Flyway's check of the interleaved history is remembered")
        .isEqualTo(MigrationOutcome.UNCHANGED_SINCE_LAST_CHECK);
  }

  @Test
  void anOlderBuildStillStartsOnASchemaWhoseNewerPlatformMigrationItDoesNotKnow() throws Exception {
    migrateFolders(List.of("db/platform", MIGRATIONS));
    // A platform migration of a later build, applied by one of its nodes: "missing" to this build.
    sql("""
        INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
                                           installed_by, execution_time, success)
        SELECT max(installed_rank) + 1, '0.99', 'from a later build', 'SQL', 'V0_99__from_a_later_build.sql', 1,
               'test', 1, true FROM flyway_schema_history""");

    assertThat(migrateFolders(List.of("db/platform", MIGRATIONS))).isEqualTo(MigrationOutcome.CHECKED_BY_FLYWAY);
  }

  @Test
  void flywayRecordsTheSameHistoryFromTheListedFilesAsFromItsOwnScan() throws Exception {
    // Database.migrate hands Flyway the files as the start listed them (ListedMigrations); here Flyway scans.
    assertThat(MigrationFiles.flywayFiles(getClass().getClassLoader(), List.of("db/platform", MIGRATIONS)))
        .as("the files could be listed, so the listed path is the one compared").isPresent();
    String scanned = "scanned_" + schema;
    Database db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), scanned, 1);
    try {
      await(vertx.executeBlocking(() -> db.flyway(List.of("db/platform", MIGRATIONS)).load().migrate()));
    } finally {
      await(db.close());
    }
    migrateFolders(List.of("db/platform", MIGRATIONS));

    String history = "SELECT string_agg(concat_ws('|', version, description, type, script, checksum, success),"
        + " E'\\n' ORDER BY installed_rank) FROM %s.flyway_schema_history WHERE type <> 'SCHEMA'";
    String tables = "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables"
        + " WHERE table_schema = '%s'";
    assertThat(query(history.formatted(schema))).contains("V0_1__outbox_and_inbox.sql", "V1__applied.sql")
        .isEqualTo(query(history.formatted(scanned)));
    assertThat(query(tables.formatted(schema))).isEqualTo(query(tables.formatted(scanned)));
  }

  /** As a node of a build with these migration folders (no fingerprint: Flyway always runs). */
  private MigrationOutcome migrateFolders(List<String> folders) throws Exception {
    Database db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), schema, 1);
    try {
      return await(db.migrate(folders, Optional.empty()));
    } finally {
      await(db.close());
    }
  }

  /** As a node of a build whose migration files have this fingerprint (null: none could be taken). */
  private MigrationOutcome migrate(String build) throws Exception {
    Database db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), schema, 1);
    try {
      return await(db.migrate(List.of("db/platform", MIGRATIONS), Optional.ofNullable(build)));
    } finally {
      await(db.close());
    }
  }

  private MigrationOutcome migrate() throws Exception {
    Database db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), schema, 1);
    try {
      return await(db.migrate(MIGRATIONS));
    } finally {
      await(db.close());
    }
  }

  private void remember(String historyBefore, List<String> applied) throws Exception {
    Database db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), schema, 1);
    try {
      await(db.rememberCheck("build-x", historyBefore, applied));
    } finally {
      await(db.close());
    }
  }

  private String query(String statement) throws Exception {
    Database db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), schema, 1);
    try {
      return await(db.pool().query(statement).execute()).iterator().next().getString(0);
    } finally {
      await(db.close());
    }
  }

  private void sql(String statement) throws Exception {
    Database db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), schema, 1);
    try {
      await(db.pool().query(statement).execute());
    } finally {
      await(db.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
