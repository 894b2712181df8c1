package io.ordermesh.infra.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EmbeddedPostgresTest {

  private static final String DATABASE = "orders";
  private static final String USER = "ordermesh";
  private static final String PASSWORD = "s3cret-Pw_1";
  private static final Duration PROCESS_EXIT_TIMEOUT = Duration.ofSeconds(20);

  private Path root;

  /**
   * Under /tmp, but 0755 rather than the 0700 of JUnit's @TempDir: as root the server runs as
   * nobody, which has to walk into it.
   */
  @BeforeEach
  void createRoot() throws IOException {
    Path parent = Files.createTempDirectory("ordermesh-pg-test-");
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    root = parent.resolve("postgres");
  }

  @AfterEach
  void deleteRoot() throws IOException {
    deleteTree(root.getParent());
  }

  @Test
  void servesTheDatabaseAndKeepsItsDataAcrossARestart() throws SQLException {
    int firstPort;
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(0))) {
      firstPort = postgres.port();
      assertThat(postgres.host()).isEqualTo("127.0.0.1");
      assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + firstPort + "/" + DATABASE);
      assertThat(postgres.uri()).isEqualTo("postgres://" + USER + ":" + PASSWORD + "@127.0.0.1:" + firstPort + "/"
          + DATABASE);
      execute(postgres, "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
      execute(postgres, "INSERT INTO orders VALUES (1, 'käse')");
    }

    try (EmbeddedPostgres restarted = EmbeddedPostgres.start(settings(0))) {
      assertThat(readItem(restarted, 1)).isEqualTo("käse");
      assertThat(queryString(restarted, "SHOW server_encoding")).isEqualTo("UTF8");
    }
  }

  @Test
  void aTerminalsCtrlCReachesTheJvmNotTheServer() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(0))) {
      long server = postgres.serverPid();

      assertThat(processGroupOf(server)).as("the server's process group").isNotEqualTo(processGroupOf(
          ProcessHandle.current().pid()));
      assertThat(ProcessHandle.of(server).orElseThrow().parent().map(ProcessHandle::pid))
          .as("the pid the JVM watches is the server's own: setsid did not fork").contains(ProcessHandle.current().pid());
      execute(postgres, "SELECT 1");
    }
  }

  /** Field 5 of /proc/PID/stat, counted after the command name in parentheses (which may hold spaces). */
  private static long processGroupOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(after[2]);
  }

  @Test
  void closeStopsTheServerAndMayBeCalledTwice() throws Exception {
    EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(0));
    ProcessHandle server = ProcessHandle.of(postgres.serverPid()).orElseThrow();

    postgres.close();
    postgres.close();

    assertThat(server.isAlive()).isFalse();
    assertThat(root.resolve("data").resolve(LeftoverServer.PID_FILE)).doesNotExist();
  }

  @Test
  void rejectsPasswordLoginsOverTcpWithTheWrongPassword() {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(0))) {
      assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), USER, "wrong").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    }
  }

  @Test
  void keepsAPasswordVerifierOfFewRoundsThatOnlyThePasswordOpens() throws SQLException {
    String verifier = "SELECT rolpassword FROM pg_authid WHERE rolname = current_user";
    String stored;
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(0))) {
      stored = queryString(postgres, verifier);
      assertThat(stored).startsWith("SCRAM-SHA-256$" + EmbeddedPostgres.SCRAM_ITERATIONS + ":");
      assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), USER, PASSWORD + "x").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    }

    try (EmbeddedPostgres restarted = EmbeddedPostgres.start(settings(0))) {
      assertThat(queryString(restarted, verifier)).as("a verifier already of few rounds is kept").isEqualTo(stored);
    }
  }

  @Test
  void recoversCommittedDataAfterTheServerIsKilled() throws Exception {
    EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(0));
    execute(postgres, "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
    execute(postgres, "INSERT INTO orders VALUES (7, 'committed')");
    ProcessHandle server = ProcessHandle.of(postgres.serverPid()).orElseThrow();

    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger log = (Logger) LoggerFactory.getLogger(EmbeddedPostgres.class);
    logged.start();
    log.addAppender(logged);
    try {
      server.destroyForcibly();
      awaitExit(server);
      await().atMost(Duration.ofSeconds(10)).until(() -> exitedOnItsOwn(logged) == 1);
      postgres.close();

      try (EmbeddedPostgres restarted = EmbeddedPostgres.start(settings(0))) {
        assertThat(readItem(restarted, 7)).isEqualTo("committed");
      }
      assertThat(exitedOnItsOwn(logged)).as("a server stopped by its owner is not reported").isEqualTo(1);
    } finally {
      log.detachAppender(logged);
    }
  }

  private static long exitedOnItsOwn(ListAppender<ILoggingEvent> logged) {
    return logged.list.stream().filter(e -> e.getLevel() == Level.ERROR)
        .filter(e -> e.getFormattedMessage().contains("exited on its own")).count();
  }

  @Test
  void aKilledJvmTakesItsServerDownAndTheNextStartFindsTheData() throws Exception {
    Process child = startChildJvm();
    try {
      ChildServer childServer = awaitChildServer(child);
      try (Connection connection = DriverManager.getConnection(
          "jdbc:postgresql://127.0.0.1:" + childServer.port() + "/" + DATABASE, USER, PASSWORD);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
        statement.execute("INSERT INTO orders VALUES (3, 'survivor')");
      }
      ProcessHandle server = ProcessHandle.of(childServer.pid()).orElseThrow();

      child.destroyForcibly();

      awaitExit(server);
    } finally {
      child.destroyForcibly();
    }
    try (EmbeddedPostgres restarted = EmbeddedPostgres.start(settings(0))) {
      assertThat(readItem(restarted, 3)).isEqualTo("survivor");
    }
  }

  @Test
  void stopsAServerLeftRunningByAProcessThatIsGone() throws Exception {
    EmbeddedPostgres.start(settings(0)).close();
    ProcessHandle orphan = startOrphanServer();

    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(0))) {
      assertThat(orphan.isAlive()).isFalse();
      assertThat(postgres.serverPid()).isNotEqualTo(orphan.pid());
    } finally {
      orphan.destroyForcibly();
    }
  }

  @Test
  void startsDespiteALockFileNamingAnotherProgramOfTheServerUser() throws Exception {
    EmbeddedPostgres.start(settings(0)).close();
    // Postgres would take this live pid (signalable by it) for a running postmaster and refuse to start.
    Process unrelated = new ProcessBuilder(ServerUser.forThisProcess().command(List.of("sleep", "60"))).start();
    try {
      // Until the launcher has exec'd sleep, the pid may show no command yet, which the start rightly
      // leaves to postgres (a lock file it cannot judge); the case under test is a running program.
      org.awaitility.Awaitility.await("the unrelated program runs").atMost(Duration.ofSeconds(10))
          .until(() -> unrelated.info().command().filter(command -> command.endsWith("/sleep")).isPresent()
              && unrelated.info().arguments().isPresent());
      Files.writeString(root.resolve("data").resolve(LeftoverServer.PID_FILE), unrelated.pid() + "\n");

      try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(0))) {
        assertThat(queryString(postgres, "SELECT 'up'")).isEqualTo("up");
      }
      assertThat(unrelated.isAlive()).isTrue();
    } finally {
      unrelated.destroyForcibly();
    }
  }

  @Test
  void aTakenFixedPortFailsWithTheServerLogInTheMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> EmbeddedPostgres.start(settings(taken.getLocalPort())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Address already in use")
          .hasMessageContaining("postgres.log");
    }
  }

  @Test
  void refusesToStartOnADataDirectoryThatAnInstanceOfThisJvmServes() {
    try (EmbeddedPostgres running = EmbeddedPostgres.start(settings(0))) {
      assertThatThrownBy(() -> EmbeddedPostgres.start(settings(0)))
          .hasMessageContaining("is running on " + root.resolve("data"));
      assertThat(ProcessHandle.of(running.serverPid())).isPresent();
    }
  }

  @Test
  void asRootNamesTheDirectoryThatNobodyCannotEnter() throws IOException {
    assumeTrue(ServerUser.forThisProcess().switchesToNobody(), "only root runs the server as nobody");
    Path privateDir = root.getParent().resolve("private");
    Files.createDirectory(privateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));

    assertThatThrownBy(() -> EmbeddedPostgres.start(new PostgresSettings(privateDir.resolve("postgres"), 0, DATABASE,
        USER, PASSWORD)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot enter " + privateDir + " ")
        .hasMessageContaining("nobody");
  }

  private PostgresSettings settings(int port) {
    return new PostgresSettings(root, port, DATABASE, USER, PASSWORD);
  }

  private Process startChildJvm() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        LeftBehindServerMain.class.getName(), root.toString(), USER, PASSWORD, DATABASE)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private record ChildServer(int port, long pid) {}

  private static ChildServer awaitChildServer(Process child) throws IOException {
    BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      if (line.startsWith(LeftBehindServerMain.READY + " ")) {
        String[] words = line.split(" ");
        return new ChildServer(Integer.parseInt(words[1]), Long.parseLong(words[2]));
      }
    }
    throw new IllegalStateException("the child JVM ended before PostgreSQL was ready");
  }

  /**
   * A postmaster whose parent shell has already exited, as after a JVM killed before the
   * parent-death signal existed, or one whose signal was lost.
   */
  private ProcessHandle startOrphanServer() throws Exception {
    ServerUser user = ServerUser.forThisProcess();
    Path binaries = PostgresBinaries.extractedUnder(root);
    Path data = root.resolve("data");
    List<String> postgres = user.command(List.of(binaries.resolve("bin/postgres").toString(), "-D", data.toString(),
        "-p", Integer.toString(freePort()), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="));
    String background = String.join(" ", postgres) + " >>" + root.resolve("orphan.log") + " 2>&1 &";
    Process shell = new ProcessBuilder("sh", "-c", background).start();
    assertThat(shell.waitFor(PROCESS_EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return awaitPostmaster(data);
  }

  private static ProcessHandle awaitPostmaster(Path data) {
    Path pidFile = data.resolve(LeftoverServer.PID_FILE);
    // The pid file's eighth line says "ready" once startup is done.
    List<String> lines = org.awaitility.Awaitility.await("the orphan postmaster gets ready (see orphan.log)")
        .atMost(PROCESS_EXIT_TIMEOUT).pollInterval(java.time.Duration.ofMillis(50))
        .until(() -> Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.<String>of(),
            l -> l.size() > 7 && l.get(7).trim().equals("ready"));
    return ProcessHandle.of(Long.parseLong(lines.get(0).trim())).orElseThrow();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitExit(ProcessHandle process) throws Exception {
    process.onExit().get(PROCESS_EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void execute(EmbeddedPostgres postgres, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String readItem(EmbeddedPostgres postgres, int id) throws SQLException {
    return queryString(postgres, "SELECT item FROM orders WHERE id = " + id);
  }

  private static String queryString(EmbeddedPostgres postgres, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), USER, PASSWORD);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as("a row for " + sql).isTrue();
      return rows.getString(1);
    }
  }

  private static void deleteTree(Path top) throws IOException {
    if (!Files.exists(top)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(top)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
