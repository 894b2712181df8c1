package io.ordermesh.infra.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server, from the zonky binaries, run as a child process on 127.0.0.1.
 *
 * <p>Everything lives under {@link PostgresSettings#root()}: the extracted binaries, the data
 * directory and the server log, so a restart on the same root finds its data again. A root JVM runs
 * the server as {@code nobody} (PostgreSQL refuses root), which must then be able to reach the root.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

  private static final String DATA_DIR = "data";
  /** initdb works here and the result is renamed to {@link #DATA_DIR}, so a half-made cluster is never used. */
  private static final String DATA_DIR_INITIALIZING = "data-initializing";
  private static final String VERSION_FILE = "PG_VERSION";
  private static final String SERVER_LOG = "postgres.log";
  private static final String INITDB_LOG = "initdb.log";
  private static final String SOCKET_DIR = "run";
  /** A Unix socket path ({@code sun_path}) holds 107 bytes; the server names its socket {@code .s.PGSQL.<port>}. */
  private static final int SOCKET_PATH_LIMIT = 107;
  private static final String LONGEST_SOCKET_NAME = "/.s.PGSQL.65535";
  private static final String MAINTENANCE_DATABASE = "postgres";
  /** PostgreSQL refuses a data directory that group or others can read. */
  private static final String DATA_DIR_MODE = "rwx------";

  /** Generous: after an unclean stop the server first replays its write-ahead log. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(50);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int CONNECT_TIMEOUT_SECONDS = 5;
  /** A free port can be taken by someone else before postgres binds it; then a new one is picked. */
  private static final int FREE_PORT_ATTEMPTS = 3;
  private static final int ERROR_TAIL_LINES = 30;
  private static final String PORT_TAKEN_MESSAGE = "Address already in use";
  /**
   * A server killed a moment ago can leave backends that have not yet noticed their postmaster is
   * gone; they hold the shared memory and refuse a new server until they exit, which they do within
   * moments. Starting again after a crash waits for them, up to this long.
   */
  private static final String SHARED_MEMORY_IN_USE_MESSAGE = "pre-existing shared memory block";
  private static final Duration SHARED_MEMORY_RELEASE_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration SHARED_MEMORY_RETRY_PAUSE = Duration.ofMillis(250);
  /**
   * PBKDF2 rounds of the password verifier PostgreSQL keeps. A client repeats them at every login over
   * TCP (SCRAM): PostgreSQL's default 4096 cost a cold JVM 20-40 ms of CPU per connection, and a node's
   * start against this server opens some twenty (pools, LISTEN connections, Flyway's JDBC). Rounds
   * stretch a password a person could guess; the launcher's is 256 random bits, which no number of
   * rounds makes harder to find, and the verifier is only readable from inside the data directory.
   */
  static final int SCRAM_ITERATIONS = 1;
  private static final String STORED_VERIFIER = "SELECT rolpassword FROM pg_authid WHERE rolname = current_user";
  private static final int SCRAM_SALT_BYTES = 16;
  /** Wrong password, or unknown user: retrying cannot help. */
  private static final Set<String> LOGIN_REJECTED_STATES = Set.of("28P01", "28000");
  /** What vertx-pg-client's URI parser accepts in user info; it does not percent-decode. */
  private static final Pattern URI_SAFE = Pattern.compile("[A-Za-z0-9\\-._~%!*]+");

  private final PostgresSettings settings;
  private final PostgresCommands commands;
  private final ServerProcess server;
  private final ServerLog log;
  private final int port;
  private final Path socketDirectory;
  private final Thread shutdownHook;
  /** Written under this object's lock; read by the exit watcher's thread too. */
  private volatile boolean closed;

  private EmbeddedPostgres(PostgresSettings settings, PostgresCommands commands, ServerProcess server,
      ServerLog log, int port, Path socketDirectory) {
    this.settings = settings;
    this.commands = commands;
    this.server = server;
    this.log = log;
    this.port = port;
    this.socketDirectory = socketDirectory;
    this.shutdownHook = new Thread(this::close, "postgres-" + port + "-shutdown");
  }

  /**
   * A server that dies under a running node (killed, out of memory) otherwise goes unsaid: every
   * statement fails with a connection error, and nothing names the cause. Watched once it is ready: a
   * server that cannot start is reported by the start itself, with its log.
   */
  private void reportAnExitNotAskedFor() {
    server.onExit(code -> {
      if (!closed) {
        LOG.error("PostgreSQL on port {} exited on its own (exit code {}); everything that uses it fails until"
            + " it runs again: restart Ordermesh (its data is kept)", port, code);
      }
    });
  }

  /**
   * Extracts the binaries and creates the cluster when missing, starts the server and returns once
   * {@link PostgresSettings#database()} exists and accepts logins. Blocks: never call it on an event loop.
   */
  public static EmbeddedPostgres start(PostgresSettings settings) {
    long started = System.nanoTime();
    Path root = settings.root().toAbsolutePath().normalize();
    try {
      ServerUser user = ServerUser.forThisProcess();
      Files.createDirectories(root);
      user.requireCanReach(root);
      PostgresCommands commands = new PostgresCommands(PostgresBinaries.extractedUnder(root), user);
      Path data = root.resolve(DATA_DIR);
      user.takeOwnership(root, data);
      LeftoverServer.stopIfRunning(data, commands, STOP_TIMEOUT);
      if (!Files.exists(data.resolve(VERSION_FILE))) {
        initialize(root, data, settings, user, commands);
      }
      EmbeddedPostgres postgres = launch(settings, commands, data, socketDirectory(root, user),
          root.resolve(SERVER_LOG));
      postgres.reportAnExitNotAskedFor();
      LOG.info("PostgreSQL ready on {}:{} in {} ms (data in {})", postgres.host(), postgres.port(),
          Duration.ofNanos(System.nanoTime() - started).toMillis(), data);
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL under " + root, e);
    }
  }

  public int port() {
    return port;
  }

  public String host() {
    return PostgresCommands.host();
  }

  /**
   * The directory of the server's Unix socket, when it has one: a client on this machine connects
   * there instead of TCP (see {@code Database}). Only this OS user (and root) can reach it, so the
   * cluster's {@code local trust} rule admits nobody else. Empty when the root is too deep for a
   * socket path.
   */
  public Optional<Path> socketDirectory() {
    return Optional.ofNullable(socketDirectory);
  }

  public String jdbcUrl() {
    return jdbcUrl(settings.database());
  }

  /** {@code postgres://user:password@127.0.0.1:port/database}, as {@code PgConnectOptions.fromUri} takes it. */
  public String uri() {
    requireUriSafe("user", settings.user());
    requireUriSafe("password", settings.password());
    requireUriSafe("database", settings.database());
    return "postgres://" + settings.user() + ":" + settings.password() + "@" + host() + ":" + port + "/"
        + settings.database();
  }

  /** The postmaster's pid, for tests that play a crash. */
  long serverPid() {
    return server.pid();
  }

  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit); waits for the exit. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    forgetShutdownHook();
    stopServer();
  }

  private static void initialize(Path root, Path data, PostgresSettings settings, ServerUser user,
      PostgresCommands commands) throws IOException {
    long started = System.nanoTime();
    Path staging = freshDirectory(root.resolve(DATA_DIR_INITIALIZING));
    user.takeOwnership(staging);
    Path passwordFile = Files.createTempFile(root, "pwfile-", ".tmp");
    try {
      Files.writeString(passwordFile, settings.password(), StandardCharsets.UTF_8);
      user.takeOwnership(passwordFile);
      commands.initdb(staging, settings.user(), passwordFile, root.resolve(INITDB_LOG));
    } finally {
      Files.deleteIfExists(passwordFile);
    }
    moveIntoPlace(staging, data);
    LOG.info("initialised a PostgreSQL cluster in {} in {} ms", data,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /**
   * An empty data directory (say, made by hand) would block the rename and is replaced; a non-empty
   * one without PG_VERSION is no cluster of ours, and it is better to fail than to delete it.
   */
  private static void moveIntoPlace(Path staging, Path data) throws IOException {
    if (Files.isDirectory(data)) {
      try (var entries = Files.list(data)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalStateException(data + " holds files but no PostgreSQL cluster (no " + VERSION_FILE
              + "); move it away or choose another root");
        }
      }
      Files.delete(data);
    }
    Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Empty, mode 0700; anything there is a leftover of an initdb that did not finish. */
  private static Path freshDirectory(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var leftovers = Files.walk(dir)) {
        for (Path path : leftovers.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    Files.createDirectory(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(DATA_DIR_MODE));
    return dir;
  }

  /** {@code <root>/run}, mode 0700 and the server's, or null when a socket there would pass the path limit. */
  private static Path socketDirectory(Path root, ServerUser user) throws IOException {
    Path dir = root.resolve(SOCKET_DIR);
    if ((dir + LONGEST_SOCKET_NAME).getBytes(StandardCharsets.UTF_8).length > SOCKET_PATH_LIMIT) {
      LOG.info("{} is too long a path for a Unix socket; PostgreSQL listens on TCP only", dir);
      return null;
    }
    // unix_socket_directories is a comma-separated list whose entries are trimmed.
    if (dir.toString().contains(",") || !dir.toString().equals(dir.toString().strip())) {
      LOG.info("{} cannot be given to PostgreSQL as a socket directory; it listens on TCP only", dir);
      return null;
    }
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(DATA_DIR_MODE));
    user.takeOwnership(dir);
    return dir;
  }

  private static EmbeddedPostgres launch(PostgresSettings settings, PostgresCommands commands, Path data,
      Path socketDirectory, Path logFile) throws IOException {
    long sharedMemoryDeadline = System.nanoTime() + SHARED_MEMORY_RELEASE_TIMEOUT.toNanos();
    for (int attempt = 1; ; attempt++) {
      int port = settings.port() == 0 ? freePort() : settings.port();
      ServerLog log = ServerLog.from(logFile);
      EmbeddedPostgres postgres =
          new EmbeddedPostgres(settings, commands, commands.startServer(data, port, socketDirectory, log.file()), log,
              port, socketDirectory);
      try {
        postgres.awaitReady();
        postgres.createDatabaseIfMissing();
        Runtime.getRuntime().addShutdownHook(postgres.shutdownHook);
        return postgres;
      } catch (PortTakenException e) {
        postgres.close();
        if (settings.port() != 0 || attempt == FREE_PORT_ATTEMPTS) {
          throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.info("port {} was taken before PostgreSQL could bind it; trying another", port);
      } catch (SharedMemoryInUseException e) {
        postgres.close();
        if (System.nanoTime() > sharedMemoryDeadline) {
          throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.info("backends of a previous server still hold its shared memory; starting again shortly");
        sleep(SHARED_MEMORY_RETRY_PAUSE);
        attempt--;
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    SQLException lastFailure = null;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw exitedDuringStart();
      }
      try (Connection ignored = connect(MAINTENANCE_DATABASE)) {
        return;
      } catch (SQLException e) {
        if (LOGIN_REJECTED_STATES.contains(e.getSQLState())) {
          throw new IllegalStateException("PostgreSQL rejected user '" + settings.user() + "': " + e.getMessage()
              + ". The cluster under " + settings.root() + " was created with other credentials.", e);
        }
        lastFailure = e;
      }
      sleep(READY_POLL_INTERVAL);
    }
    throw new IllegalStateException("PostgreSQL did not accept connections within " + READY_TIMEOUT.toSeconds()
        + " s (last error: " + (lastFailure == null ? "none" : lastFailure.getMessage()) + "); "
        + log.file() + " ends with:\n" + log.tailSinceStart(ERROR_TAIL_LINES));
  }

  private RuntimeException exitedDuringStart() {
    String output = log.sinceStart();
    String message = "PostgreSQL exited with code " + server.exitValue() + " while starting; " + log.file()
        + " ends with:\n" + log.tailSinceStart(ERROR_TAIL_LINES);
    if (output.contains(PORT_TAKEN_MESSAGE)) {
      return new PortTakenException(message);
    }
    return output.contains(SHARED_MEMORY_IN_USE_MESSAGE) ? new SharedMemoryInUseException(message)
        : new IllegalStateException(message);
  }

  private void createDatabaseIfMissing() {
    try (Connection connection = connect(MAINTENANCE_DATABASE)) {
      if (!databaseExists(connection)) {
        try (Statement create = connection.createStatement()) {
          create.execute("CREATE DATABASE " + quoteIdentifier(settings.database()));
        }
        LOG.info("created database {}", settings.database());
      }
      storeVerifierOfFewRounds(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + settings.database() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces the user's password verifier by one of {@link #SCRAM_ITERATIONS} rounds (same password),
   * unless it is one already: clusters made by initdb, or before this, have PostgreSQL's default. The
   * verifier is computed here, so the password itself never travels in a statement.
   */
  private void storeVerifierOfFewRounds(Connection connection) throws SQLException {
    String stored;
    try (PreparedStatement query = connection.prepareStatement(STORED_VERIFIER);
        ResultSet rows = query.executeQuery()) {
      stored = rows.next() ? rows.getString(1) : null;
    }
    if (stored != null && stored.startsWith("SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":")) {
      return;
    }
    byte[] salt = new byte[SCRAM_SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    String verifier = PasswordUtil.encodeScramSha256(settings.password().toCharArray(), SCRAM_ITERATIONS, salt);
    try (Statement alter = connection.createStatement()) {
      alter.execute("ALTER ROLE CURRENT_USER PASSWORD " + quoteLiteral(verifier));
    }
  }

  private boolean databaseExists(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, settings.database());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", settings.user());
    properties.setProperty("password", settings.password());
    properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  private void stopServer() {
    if (!server.isAlive()) {
      return;
    }
    try {
      commands.requestFastShutdown(server.pid());
      if (server.awaitExit(STOP_TIMEOUT)) {
        LOG.info("PostgreSQL on port {} stopped", port);
        return;
      }
      LOG.warn("PostgreSQL on port {} did not stop within {} s; killing it", port, STOP_TIMEOUT.toSeconds());
    } catch (IOException e) {
      LOG.warn("cannot ask PostgreSQL on port {} to stop ({}); killing it", port, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.kill();
  }

  /**
   * Hands stopping at JVM exit to the caller, which closes this server in its own shutdown order.
   * Shutdown hooks run all at once: left registered, this server's own hook stops PostgreSQL while the
   * services that use it are still draining, and their last transactions fail.
   */
  public void leaveShutdownToOwner() {
    forgetShutdownHook();
  }

  /** Removing the hook fails once the JVM is shutting down, which is when the hook itself runs. */
  private void forgetShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running, or about to
    }
  }

  private static void requireUriSafe(String what, String value) {
    if (!URI_SAFE.matcher(value).matches()) {
      throw new IllegalStateException("the " + what + " has characters that a postgres:// URI cannot carry"
          + " for vertx-pg-client; use letters, digits and -._~!* only");
    }
  }

  private static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String quoteLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(PostgresCommands.host()))) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
    }
  }

  /** Backends of a killed server still hold its shared memory. */
  private static final class SharedMemoryInUseException extends RuntimeException {
    SharedMemoryInUseException(String message) {
      super(message);
    }
  }

  /** The server lost the race for a port picked as free. */
  private static final class PortTakenException extends RuntimeException {
    PortTakenException(String message) {
      super(message);
    }
  }
}
