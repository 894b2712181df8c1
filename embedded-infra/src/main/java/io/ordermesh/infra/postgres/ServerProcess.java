package io.ordermesh.infra.postgres;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The running postmaster. It is started from a dedicated thread that lives exactly as long as the
 * process: the parent-death signal set by {@link ServerUser#supervisedCommand} fires when the forking
 * thread ends, so forking from the caller's thread would stop the server as soon as that thread ended.
 */
final class ServerProcess {

  private final Process process;

  private ServerProcess(Process process) {
    this.process = process;
  }

  static ServerProcess start(ProcessBuilder builder, String threadName) throws IOException {
    CompletableFuture<Process> started = new CompletableFuture<>();
    Thread supervisor = new Thread(() -> superviseUntilExit(builder, started), threadName);
    // The JVM need not wait for it: at JVM exit the parent-death signal stops the server.
    supervisor.setDaemon(true);
    supervisor.start();
    try {
      return new ServerProcess(started.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("cannot start " + builder.command().get(0), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + builder.command().get(0), e);
    }
  }

  private static void superviseUntilExit(ProcessBuilder builder, CompletableFuture<Process> started) {
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      started.completeExceptionally(e);
      return;
    }
    started.complete(process);
    while (process.isAlive()) {
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        // Ending this thread early would stop the server; only its exit ends the wait.
      }
    }
  }

  /** Runs {@code action} with the exit code once the process has exited, for whatever reason. */
  void onExit(java.util.function.IntConsumer action) {
    process.onExit().thenAccept(exited -> action.accept(exited.exitValue()));
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  /** Waits for the exit; false if the process still runs after {@code timeout}. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void kill() {
    process.destroyForcibly();
  }
}
