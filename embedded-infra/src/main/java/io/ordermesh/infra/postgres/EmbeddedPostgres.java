package io.ordermesh.infra.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the zonky binaries, run as a child process on 127.0.0.1.
 *
 * <p>PostgreSQL refuses to run as root, so when this JVM is root the server (and initdb) run as
 * {@code nobody} through {@code setpriv}; its data directory then has to be reachable by that user.
 * Data persists under the root directory, so a restart on the same root finds everything.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

  private static final String HOST = "127.0.0.1";
  private static final String SERVER_USER = "nobody";
  private static final String SERVER_GROUP = "nogroup";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READY_POLL = Duration.ofMillis(50);
  private static final int LOG_TAIL_LINES = 30;
  private static final List<String> SERVER_SETTINGS = List.of(
      "max_connections=200",
      "shared_buffers=128MB",
      "unix_socket_directories=",
      "listen_addresses=" + HOST);

  private final PostgresSettings settings;
  private final int port;
  private final Process server;
  private final Path log;
  private boolean closed;

  private EmbeddedPostgres(PostgresSettings settings, int port, Process server, Path log) {
    this.settings = settings;
    this.port = port;
    this.server = server;
    this.log = log;
  }

  /** Extracts, initialises (first time only) and starts the server; returns once the database accepts logins. */
  public static EmbeddedPostgres start(PostgresSettings settings) {
    long started = System.nanoTime();
    Path root = settings.root().toAbsolutePath().normalize();
    boolean asRoot = runningAsRoot();
    try {
      Files.createDirectories(root);
      if (asRoot) {
        requireReachableByServerUser(root);
      }
      Path binaries = PostgresBinaries.extractedUnder(root);
      Path data = root.resolve("data");
      Path log = root.resolve("postgres.log");
      stopStaleServer(data);
      if (!Files.exists(data.resolve("PG_VERSION"))) {
        initdb(binaries, data, settings, asRoot);
      }
      int port = settings.port() == 0 ? freePort() : settings.port();
      Process server = launch(binaries, data, port, log, asRoot);
      EmbeddedPostgres postgres = new EmbeddedPostgres(settings, port, server, log);
      try {
        postgres.awaitReady();
        postgres.createDatabaseIfMissing();
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
      LOG.info("PostgreSQL ready on {}:{} in {} ms (data in {})", HOST, port,
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
    return HOST;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + settings.database();
  }

  /** The URI vertx-pg-client takes ({@code PgConnectOptions.fromUri}). */
  public String uri() {
    return "postgres://" + settings.user() + ":" + settings.password() + "@" + HOST + ":" + port + "/"
        + settings.database();
  }

  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit); waits for the server to exit. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    signal(server.pid(), "INT");
    try {
      if (!server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        LOG.warn("PostgreSQL did not stop in {} s; killing it", STOP_TIMEOUT.toSeconds());
        server.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.destroyForcibly();
    }
  }

  private static void initdb(Path binaries, Path data, PostgresSettings settings, boolean asRoot) throws IOException {
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    Path passwordFile = Files.createTempFile(data.getParent(), "pwfile", ".tmp");
    try {
      Files.writeString(passwordFile, settings.password(), StandardCharsets.UTF_8);
      if (asRoot) {
        giveToServerUser(data);
        giveToServerUser(passwordFile);
      }
      run(asRoot, binaries, List.of(binaries.resolve("bin/initdb").toString(),
          "-D", data.toString(),
          "-U", settings.user(),
          "--pwfile=" + passwordFile,
          "--auth-local=trust",
          "--auth-host=scram-sha-256",
          "--encoding=UTF8",
          "--locale=C",
          "--no-instructions"), data.getParent().resolve("initdb.log"));
    } finally {
      Files.deleteIfExists(passwordFile);
    }
  }

  private static Process launch(Path binaries, Path data, int port, Path log, boolean asRoot) throws IOException {
    List<String> command = new ArrayList<>(List.of(binaries.resolve("bin/postgres").toString(),
        "-D", data.toString(), "-p", Integer.toString(port)));
    SERVER_SETTINGS.forEach(setting -> {
      command.add("-c");
      command.add(setting);
    });
    return processBuilder(asRoot, binaries, command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static void run(boolean asRoot, Path binaries, List<String> command, Path log) throws IOException {
    Process process = processBuilder(asRoot, binaries, command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(command.get(0) + " failed with exit code " + exit + ":\n" + tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  private static ProcessBuilder processBuilder(boolean asRoot, Path binaries, List<String> command) {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("setpriv", "--reuid=" + SERVER_USER, "--regid=" + SERVER_GROUP, "--clear-groups", "--"));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full);
    builder.environment().put("LD_LIBRARY_PATH", binaries.resolve("lib").toString());
    builder.environment().put("LC_ALL", "C");
    return builder;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("PostgreSQL exited with code " + server.exitValue() + ":\n" + tail(log));
      }
      try (Connection ignored = connect("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      sleep(READY_POLL);
    }
    throw new IllegalStateException("PostgreSQL did not accept connections in " + READY_TIMEOUT.toSeconds()
        + " s (last error: " + (last == null ? "none" : last.getMessage()) + "):\n" + tail(log));
  }

  private void createDatabaseIfMissing() {
    try (Connection connection = connect("postgres");
        PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, settings.database());
      if (!exists.executeQuery().next()) {
        connection.createStatement().execute("CREATE DATABASE \"" + settings.database().replace("\"", "\"\"") + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + settings.database() + ": " + e.getMessage(), e);
    }
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + port + "/" + database, settings.user(),
        settings.password());
  }

  /** A server left running by a killed JVM still holds the data directory: stop it before starting ours. */
  private static void stopStaleServer(Path data) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (RuntimeException e) {
      return;
    }
    Optional<ProcessHandle> stale = ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
    if (stale.isEmpty()) {
      return;
    }
    LOG.warn("stopping PostgreSQL {} left running on {} by an earlier process", pid, data);
    signal(pid, "INT");
    try {
      stale.get().onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("a stale PostgreSQL (pid " + pid + ") still holds " + data, e);
    }
  }

  private static void signal(long pid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void requireReachableByServerUser(Path root) throws IOException {
    for (Path dir = root; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir) && !Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IllegalStateException("PostgreSQL runs as '" + SERVER_USER + "' when started as root, and '"
            + SERVER_USER + "' cannot enter " + dir + " (on the way to " + root
            + "). Choose a data location outside it, e.g. under /var/tmp or /srv.");
      }
    }
  }

  private static void giveToServerUser(Path path) throws IOException {
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(path, users.lookupPrincipalByName(SERVER_USER));
    Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
        .setGroup(users.lookupPrincipalByGroupName(SERVER_GROUP));
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
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
}
