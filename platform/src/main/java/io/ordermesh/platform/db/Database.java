package io.ordermesh.platform.db;

import io.ordermesh.platform.config.Defaults;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's database: its own pool, its own schema, its own Flyway history. No SQL of a
 * service ever names another service's schema.
 */
public final class Database {

  /** Migrations every service schema shares: the outbox and the inbox. */
  private static final String PLATFORM_MIGRATIONS = "db/platform";
  private static final String HISTORY_TABLE = "flyway_schema_history";
  /** What else decides what Flyway does, for the fingerprint of a migration check. */
  private static final String FLYWAY_SETTINGS = "table=" + HISTORY_TABLE + " createSchemas=true group=true outOfOrder=true"
      + " ignoreMigrationPatterns=*:future,versioned:missing";
  /** The history as Flyway's validation reads it: every row, applied or failed, with its checksum. */
  static final String HISTORY = """
      SELECT coalesce(string_agg(
               format('%s|%s|%s|%s|%s|%s|%s', installed_rank, version, description, type, script, checksum, success),
               E'\n' ORDER BY installed_rank), '') AS history
      FROM flyway_schema_history""";
  /** The history, and the migration files of every check recorded against that very history. */
  private static final String LAST_CHECKS = "SELECT present.history, coalesce((SELECT array_agg(migration_files)"
      + " FROM migration_checks WHERE migration_checks.history = present.history), '{}') AS checked_files"
      + " FROM (" + HISTORY + ") present";
  /**
   * Kept beside Flyway's history rather than made by a migration: it is bookkeeping of the start, like
   * the history table, not part of the schema a build describes. A row per build recently checked, so
   * that nodes of two builds (a rolling upgrade) both keep the shortcut; what a row says stays true.
   */
  private static final String CHECKS_TABLE = """
      CREATE TABLE IF NOT EXISTS migration_checks (
        migration_files text PRIMARY KEY,
        history         text NOT NULL,
        checked_at      timestamptz NOT NULL DEFAULT now())""";
  private static final int CHECKS_KEPT = 10;
  /**
   * Records the check only if the history now is the one read before Flyway ran ($2, its highest rank
   * $3) followed by exactly the migrations this run applied ($4, in order, all successful): then it is
   * the history this Flyway validated and extended, and Flyway would find nothing more to do with these
   * files. A history another node changed meanwhile (another build's migrations, a repair) is not
   * recorded. Flyway's own row for creating the schema is not a migration.
   */
  private static final String REMEMBER_CHECK = "WITH present AS (" + HISTORY + "),"
      + " added AS (SELECT coalesce(array_agg(version::text ORDER BY installed_rank), '{}') AS versions,"
      + " coalesce(bool_and(success), true) AS succeeded FROM flyway_schema_history"
      + " WHERE installed_rank > $3 AND type <> 'SCHEMA'),"
      + " forgotten AS (DELETE FROM migration_checks WHERE migration_files NOT IN"
      + " (SELECT migration_files FROM migration_checks ORDER BY checked_at DESC LIMIT " + (CHECKS_KEPT - 1) + "))"
      + " INSERT INTO migration_checks (migration_files, history) SELECT $1, present.history FROM present, added"
      + " WHERE left(present.history, length($2)) = $2 AND added.versions = $4::text[] AND added.succeeded"
      + " ON CONFLICT (migration_files) DO UPDATE SET history = excluded.history, checked_at = now()";

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private final String schema;
  private final Pool pool;
  /** The record of the last migration check, written after the start rather than in its way. */
  private volatile Future<Void> recording = Future.succeededFuture();

  private Database(Vertx vertx, PgConnectOptions connectOptions, String schema, Pool pool) {
    this.vertx = vertx;
    this.connectOptions = connectOptions;
    this.schema = schema;
    this.pool = pool;
  }

  /**
   * Connects a pool whose connections use {@code schema} as their search path, so service SQL names
   * its tables without a schema prefix.
   */
  public static Database connect(Vertx vertx, String uri, String schema, int poolSize) {
    return connect(vertx, uri, null, schema, poolSize);
  }

  /**
   * As {@link #connect(Vertx, String, String, int)}, with the pool on the server's Unix socket in
   * {@code socketDirectory} when there is one and this Vert.x can use it (a native transport). On one
   * box that is the cheaper wire: at 400 sagas/s, TCP loopback to and from PostgreSQL cost about a
   * tenth of the machine's CPU. Migrations (JDBC) and LISTEN connections keep to TCP.
   */
  public static Database connect(Vertx vertx, String uri, String socketDirectory, String schema, int poolSize) {
    PgConnectOptions options = PgConnectOptions.fromUri(uri)
        .setCachePreparedStatements(true)
        .addProperty("search_path", schema)
        .addProperty("application_name", "ordermesh-" + schema);
    askForKeepalives(options);
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setName("pg-" + schema).setShared(false))
        .connectingTo(pooledConnections(vertx, options, socketDirectory))
        .using(vertx)
        .build();
    return new Database(vertx, options, schema, pool);
  }

  /**
   * The server probes an idle connection after {@link Defaults#PG_KEEPALIVE_IDLE} and drops it after
   * {@link Defaults#PG_KEEPALIVE_COUNT} unanswered probes. A node that vanishes without closing its
   * sockets (power lost, a cut cable) would otherwise keep its sessions, and the advisory lock of its
   * outbox relays, for the operating system's two hours: no node could publish those schemas' events
   * meanwhile. Ignored on a Unix socket, which cannot be left half open.
   */
  private static void askForKeepalives(PgConnectOptions options) {
    options.addProperty("tcp_keepalives_idle", Long.toString(Defaults.PG_KEEPALIVE_IDLE.toSeconds()))
        .addProperty("tcp_keepalives_interval", Long.toString(Defaults.PG_KEEPALIVE_INTERVAL.toSeconds()))
        .addProperty("tcp_keepalives_count", Integer.toString(Defaults.PG_KEEPALIVE_COUNT));
  }

  private static PgConnectOptions pooledConnections(Vertx vertx, PgConnectOptions tcp, String socketDirectory) {
    if (socketDirectory == null) {
      return tcp;
    }
    if (!vertx.isNativeTransportEnabled()) {
      LOG.info("PostgreSQL's socket in {} needs a native transport, which this Vert.x lacks; using TCP",
          socketDirectory);
      return tcp;
    }
    return new PgConnectOptions(tcp).setHost(socketDirectory);
  }

  public Pool pool() {
    return pool;
  }

  public String schema() {
    return schema;
  }

  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  /**
   * Brings the schema to this build's migrations: the platform's and the service's. Flyway (JDBC, on a
   * worker) checks and applies them, unless this schema records that Flyway already checked it with
   * the very same migrations and its history has not changed since: then Flyway would apply nothing
   * and object to nothing, and the start saves its two JDBC logins and its classpath scan (about a
   * fifth of a restart on two cores). A check is recorded after Flyway ran when the history is then the
   * one it found plus exactly what it applied (nothing else changed it meanwhile), while the service
   * goes on starting; {@link #close} waits for it.
   */
  public Future<MigrationOutcome> migrate(String serviceMigrations) {
    List<String> folders = List.of(PLATFORM_MIGRATIONS, serviceMigrations);
    String settings = FLYWAY_SETTINGS + " schema=" + schema;
    return migrate(folders, vertx.executeBlocking(
        () -> MigrationFiles.fingerprint(Database.class.getClassLoader(), folders, settings), false));
  }

  /** {@link #migrate(String)} with the migrations' fingerprint given (tests play two builds). */
  Future<MigrationOutcome> migrate(List<String> folders, Optional<String> files) {
    return migrate(folders, Future.succeededFuture(files));
  }

  /**
   * The fingerprint (a look through the jar's listing) and the records of past checks (the pool's first
   * login) do not depend on each other: both are under way at once.
   */
  private Future<MigrationOutcome> migrate(List<String> folders, Future<Optional<String>> fingerprint) {
    Future<LastChecks> lastChecks = lastChecks();
    return Future.all(fingerprint, lastChecks).compose(both -> {
      Optional<String> files = fingerprint.result();
      LastChecks checks = lastChecks.result();
      if (files.isPresent() && checks.checkedFiles().contains(files.get())) {
        return Future.succeededFuture(MigrationOutcome.UNCHANGED_SINCE_LAST_CHECK);
      }
      return runFlyway(folders)
          .onSuccess(applied -> {
            if (files.isPresent() && !applied.contains(null)) {
              recording = rememberCheck(files.get(), checks.history() == null ? "" : checks.history(), applied);
            }
          })
          .map(MigrationOutcome.CHECKED_BY_FLYWAY);
    });
  }

  /** The schema's history now (null without one), and the migration files Flyway checked against it. */
  private Future<LastChecks> lastChecks() {
    return pool.query(LAST_CHECKS).execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new LastChecks(row.getString("history"), Set.of(row.getArrayOfStrings("checked_files")));
        })
        .recover(error -> {
          // No check table yet (a new schema, or one Flyway never checked here): Flyway decides.
          LOG.debug("schema {}: no migration check to compare ({})", schema, error.toString());
          return pool.query(HISTORY).execute()
              .map(rows -> new LastChecks(rows.iterator().next().getString("history"), Set.of()))
              .otherwise(new LastChecks(null, Set.of()));
        });
  }

  /**
   * @param historyBefore the history read before Flyway ran ("" when there was none)
   * @param applied the versions Flyway applied, in order
   */
  Future<Void> rememberCheck(String migrationFiles, String historyBefore, List<String> applied) {
    // Two nodes creating the table at once can fail one CREATE; the insert is tried either way.
    Tuple parameters = Tuple.of(migrationFiles, historyBefore, highestRank(historyBefore),
        applied.toArray(String[]::new));
    return pool.query(CHECKS_TABLE).execute().<Void>mapEmpty().otherwiseEmpty()
        .compose(v -> pool.preparedQuery(REMEMBER_CHECK).execute(parameters))
        .<Void>mapEmpty()
        // The schema is migrated: not remembering it only costs the next start Flyway's check.
        .recover(error -> {
          LOG.warn("schema {} is migrated, but its check could not be recorded: {}", schema, error.toString());
          return Future.succeededFuture();
        });
  }

  /** The installed rank of the last row of a history as {@link #HISTORY} writes it; -1 for none. */
  private static int highestRank(String history) {
    if (history.isEmpty()) {
      return -1;
    }
    String last = history.substring(history.lastIndexOf('\n') + 1);
    return Integer.parseInt(last.substring(0, last.indexOf('|')));
  }

  /**
   * Answers the versions of the migrations Flyway applied, in order (null for one without a version).
   * All that are pending go in one transaction (PostgreSQL's DDL is transactional): a start applies a
   * build's migrations wholly or not at all, and Flyway locks and re-reads its history once rather than
   * once per migration (a first start applies six per schema).
   */
  private Future<List<String>> runFlyway(List<String> folders) {
    return vertx.executeBlocking(() -> withListedMigrations(flyway(folders), folders)
        .load()
        .migrate()
        .migrations.stream()
        .map(migration -> migration.version == null || migration.version.isEmpty() ? null : migration.version)
        .toList(), false);
  }

  /** Flyway as it runs for this schema, before it is handed the listed files (tests run it as it stands). */
  FluentConfiguration flyway(List<String> folders) {
    // The loader the files were listed and fingerprinted with, whatever the thread's context loader.
    return Flyway.configure(Database.class.getClassLoader())
        .dataSource(jdbcUrl(), connectOptions.getUser(), connectOptions.getPassword())
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        .table(HISTORY_TABLE)
        .group(true)
        // The platform's migrations (0.x) and a service's (1, 2, ...) are two sequences in one history:
        // a platform migration of a later build sorts before the service's applied ones and must still apply.
        .outOfOrder(true)
        // A node of an older build (a rolling upgrade, a rollback) finds migrations it does not know: a
        // service's later ones are "future", a platform's are "missing" (numbered below its own). Both
        // only add what the older build does not use.
        .ignoreMigrationPatterns("*:future", "versioned:missing")
        .locations(folders.stream().map(folder -> "classpath:" + folder).toArray(String[]::new));
  }

  /** The files as already listed, when they could be (else Flyway scans for them itself). Blocking. */
  private static FluentConfiguration withListedMigrations(FluentConfiguration flyway, List<String> folders) {
    ClassLoader loader = flyway.getClassLoader();
    return MigrationFiles.flywayFiles(loader, folders)
        .map(files -> flyway.resourceProvider(new ListedMigrations(files, loader, flyway.getEncoding()))
            .javaMigrationClassProvider(ListedMigrations.NO_JAVA_MIGRATIONS))
        .orElse(flyway);
  }

  private record LastChecks(String history, Set<String> checkedFiles) {
  }

  /** What {@link #migrate} did. */
  public enum MigrationOutcome {
    /** Flyway checked the schema against the migration files and applied what was pending. */
    CHECKED_BY_FLYWAY("migrated (Flyway checked it)"),
    /** Flyway had checked these very files against this very history before: nothing to do. */
    UNCHANGED_SINCE_LAST_CHECK("unchanged since Flyway last checked it with these migrations (Flyway skipped)");

    private final String description;

    MigrationOutcome(String description) {
      this.description = description;
    }

    /** What a start log says about the schema. */
    public String description() {
      return description;
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + connectOptions.getHost() + ":" + connectOptions.getPort() + "/"
        + connectOptions.getDatabase();
  }

  /** Closes the pool once the record of a migration check, if one is being written, is written. */
  public Future<Void> close() {
    return recording.eventually(pool::close);
  }
}
