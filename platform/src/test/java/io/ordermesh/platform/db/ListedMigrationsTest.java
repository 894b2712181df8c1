package io.ordermesh.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.flywaydb.core.api.resource.LoadableResource;
import org.junit.jupiter.api.Test;

/**
 * The listed migration files answer Flyway's questions as its own scan would: by name, and by prefix
 * and suffix. That Flyway then records the same history is {@code MigrationShortcutTest}'s to show.
 */
class ListedMigrationsTest {

  private static final List<String> FOLDERS = List.of("db/platform", "db/inboxtest");

  @Test
  void findsMigrationsAndCallbacksByFlywaysOwnNamingRule() {
    ClassLoader loader = getClass().getClassLoader();
    ListedMigrations migrations = new ListedMigrations(MigrationFiles.flywayFiles(loader, FOLDERS).orElseThrow(), loader,
        StandardCharsets.UTF_8);

    assertThat(migrations.getResources("V", new String[] {".sql"})).extracting(LoadableResource::getFilename)
        .contains("V0_1__outbox_and_inbox.sql", "V1__applied.sql");
    assertThat(migrations.getResources("R", new String[] {".sql"})).isEmpty();
    assertThat(migrations.getResources("beforeMigrate", new String[] {".sql"})).isEmpty();
    assertThat(migrations.getResource("v1__APPLIED.sql")).as("looked up by name, as Flyway's scanner does").isNotNull();
    assertThat(migrations.getResource("V1__applied.sql.conf")).isNull();
  }
}
