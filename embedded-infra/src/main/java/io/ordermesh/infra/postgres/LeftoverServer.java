package io.ordermesh.infra.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deals with the {@code postmaster.pid} of an earlier run before a start.
 *
 * <ul>
 *   <li>A postmaster of this data directory whose JVM is gone (killed before it could stop it) is
 *       stopped: it holds the data directory and maybe the port.</li>
 *   <li>One whose parent is a live JVM belongs to a running instance, maybe this one: it is left
 *       alone, and the start fails.</li>
 *   <li>A dead pid needs nothing: postgres itself discards a lock file whose process is gone.</li>
 *   <li>A pid reused by a program other than postgres would make postgres refuse to start (when
 *       it can signal that program), so that lock file is removed. One naming another postgres is
 *       left for postgres to judge.</li>
 * </ul>
 */
final class LeftoverServer {

  private static final Logger LOG = LoggerFactory.getLogger(LeftoverServer.class);

  static final String PID_FILE = "postmaster.pid";
  private static final String POSTGRES_PROGRAM = "postgres";
  private static final String JAVA_PROGRAM = "java";
  private static final String DATA_DIRECTORY_FLAG = "-D";

  private LeftoverServer() {
  }

  static void stopIfRunning(Path data, PostgresCommands commands, Duration timeout) throws IOException {
    Path pidFile = data.resolve(PID_FILE);
    OptionalLong pid = readPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      LOG.info("{} names pid {}, which is gone; postgres will discard it", pidFile, pid.getAsLong());
      return;
    }
    switch (classify(process.get(), data)) {
      case OURS_AND_ORPHANED -> stop(process.get(), data, commands, timeout);
      case OURS_AND_OWNED -> throw new IllegalStateException("PostgreSQL " + pid.getAsLong() + " of process "
          + process.get().parent().map(ProcessHandle::pid).orElse(-1L) + " is running on " + data
          + "; close that instance (or stop that process) first");
      case UNRELATED -> {
        LOG.warn("{} names pid {}, now another program's; removing the stale lock file", pidFile, pid.getAsLong());
        Files.deleteIfExists(pidFile);
      }
      case UNKNOWN -> LOG.info("{} names pid {}, which this process cannot inspect; leaving it to postgres",
          pidFile, pid.getAsLong());
    }
  }

  private enum Kind { OURS_AND_ORPHANED, OURS_AND_OWNED, UNRELATED, UNKNOWN }

  private static Kind classify(ProcessHandle process, Path data) {
    ProcessHandle.Info info = process.info();
    if (info.command().isEmpty() || info.arguments().isEmpty()) {
      return Kind.UNKNOWN;
    }
    if (!isProgram(info.command().get(), POSTGRES_PROGRAM)) {
      return Kind.UNRELATED;
    }
    if (!servesDataDirectory(info.arguments().get(), data)) {
      // Some other postgres: not ours to stop, and its lock file not ours to delete.
      return Kind.UNKNOWN;
    }
    // setpriv execs postgres, so a live instance's postmaster is a direct child of its JVM.
    boolean ownedByJvm = process.parent()
        .flatMap(parent -> parent.info().command())
        .map(command -> isProgram(command, JAVA_PROGRAM))
        .orElse(false);
    return ownedByJvm ? Kind.OURS_AND_OWNED : Kind.OURS_AND_ORPHANED;
  }

  private static boolean servesDataDirectory(String[] arguments, Path data) {
    List<String> args = List.of(arguments);
    int flag = args.indexOf(DATA_DIRECTORY_FLAG);
    if (flag < 0 || flag + 1 >= args.size()) {
      return false;
    }
    try {
      return Files.isSameFile(Path.of(args.get(flag + 1)), data);
    } catch (IOException e) {
      return false;
    }
  }

  private static void stop(ProcessHandle process, Path data, PostgresCommands commands, Duration timeout)
      throws IOException {
    LOG.warn("stopping PostgreSQL {}, left running on {} by a process that is gone", process.pid(), data);
    commands.requestFastShutdown(process.pid());
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException("PostgreSQL " + process.pid() + ", left running on " + data
          + ", did not stop in " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping PostgreSQL " + process.pid(), e);
    }
  }

  /** The first line of the lock file is the postmaster's pid. */
  private static OptionalLong readPid(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return OptionalLong.empty();
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    try {
      return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Matches {@code .../postgres} and {@code .../postgres (deleted)}: the binary may have been replaced. */
  private static boolean isProgram(String command, String program) {
    String name = Path.of(command).getFileName().toString();
    return name.equals(program) || name.startsWith(program + " ");
  }
}
