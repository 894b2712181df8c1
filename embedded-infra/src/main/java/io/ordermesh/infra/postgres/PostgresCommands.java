package io.ordermesh.infra.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The PostgreSQL programs of one extracted distribution, run as the {@link ServerUser}. */
final class PostgresCommands {

  private static final String HOST = "127.0.0.1";
  private static final int SIGNAL_TIMEOUT_SECONDS = 10;
  private static final int ERROR_TAIL_LINES = 30;

  /**
   * Settings for a small box. fsync stays on: `ordermesh run` keeps real data across restarts. The
   * Unix socket directory is chosen per start (see {@link #startServer}).
   *
   * <p>Sized for sustained load rather than PostgreSQL's defaults: with 128 MB of buffers and a 1 GB
   * WAL budget, a saga load of 400/s filled the WAL budget every couple of minutes, and every
   * checkpoint made the next write to each page log the whole page (the full-page images were 2 per
   * saga, most of its 24 KB of WAL; ~0.02 per saga between checkpoints). A longer checkpoint distance
   * costs a longer replay after a crash, at most about as much WAL as {@code max_wal_size}.
   */
  private static final List<String> SERVER_SETTINGS = List.of(
      "listen_addresses=" + HOST,
      "max_connections=200",
      "shared_buffers=512MB",
      "max_wal_size=4GB",
      "checkpoint_timeout=15min",
      // Hot tables (a few skus' stock rows) set low autovacuum thresholds; checking once a minute
      // would still let them grow for a minute.
      "autovacuum_naptime=10s",
      "fsync=on");

  private final Path binaries;
  private final ServerUser user;

  PostgresCommands(Path binaries, ServerUser user) {
    this.binaries = binaries;
    this.user = user;
  }

  static String host() {
    return HOST;
  }

  /** Creates a cluster whose superuser logs in over TCP with a password (scram-sha-256). */
  void initdb(Path data, String superuser, Path passwordFile, Path log) throws IOException {
    run("initdb", user.command(List.of(program("initdb"),
        "-D", data.toString(),
        "-U", superuser,
        "--pwfile=" + passwordFile,
        "--auth-host=scram-sha-256",
        "--auth-local=trust",
        "--encoding=UTF8",
        // The C locale needs no OS locale data, so a bare container works, and sorts the same everywhere.
        "--locale=C",
        // The data outlives restarts; checksums turn silent disk corruption into a clear error.
        "--data-checksums",
        "--no-instructions")), log);
  }

  /**
   * @param socketDirectory where the server also listens on a Unix socket, or null for TCP only
   */
  ServerProcess startServer(Path data, int port, Path socketDirectory, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(program("postgres"),
        "-D", data.toString(), "-p", Integer.toString(port),
        "-c", "unix_socket_directories=" + (socketDirectory == null ? "" : socketDirectory.toString())));
    for (String setting : SERVER_SETTINGS) {
      command.add("-c");
      command.add(setting);
    }
    ProcessBuilder builder = processBuilder(user.supervisedCommand(command))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return ServerProcess.start(builder, "postgres-" + port);
  }

  /**
   * Sends SIGINT (fast shutdown) through pg_ctl rather than kill(1): slim images lack procps, and as
   * root the signal has to come from the server's own user anyway.
   */
  void requestFastShutdown(long pid) throws IOException {
    Process process = processBuilder(user.command(List.of(program("pg_ctl"), "kill", "INT", Long.toString(pid))))
        .redirectErrorStream(true)
        .start();
    try {
      if (!process.waitFor(SIGNAL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("pg_ctl kill INT " + pid + " did not finish in " + SIGNAL_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("pg_ctl kill INT " + pid + " failed: "
            + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling PostgreSQL " + pid, e);
    }
  }

  private void run(String name, List<String> command, Path log) throws IOException {
    Process process = processBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(name + " failed with exit code " + exit + ":\n"
            + ServerLog.tail(log, ERROR_TAIL_LINES));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + name, e);
    }
  }

  private String program(String name) {
    return binaries.resolve("bin").resolve(name).toString();
  }

  private ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    // Messages in plain English whatever the caller's locale, and no dependence on installed locales.
    builder.environment().put("LC_ALL", "C");
    builder.environment().remove("LANG");
    return builder;
  }
}
