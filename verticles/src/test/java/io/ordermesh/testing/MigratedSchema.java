package io.ordermesh.testing;

import io.ordermesh.platform.db.Database;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Vert.x and a service's schema of its own on the shared test PostgreSQL, migrated, for each test;
 * closed after it. Register it on a field: {@code @RegisterExtension final MigratedSchema schema = new
 * MigratedSchema("orders", "db/order");}. It is ready before the test class's own {@code @BeforeEach}.
 */
public final class MigratedSchema implements BeforeEachCallback, AfterEachCallback {

  private final String service;
  private final String migrations;
  private Vertx vertx;
  private Database db;

  public MigratedSchema(String service, String migrations) {
    this.service = service;
    this.migrations = migrations;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    vertx = Vertx.vertx();
    db = TestPostgres.migratedSchema(vertx, service, migrations);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestPostgres.join(vertx.close());
  }

  public Vertx vertx() {
    return vertx;
  }

  public Database db() {
    return db;
  }
}
