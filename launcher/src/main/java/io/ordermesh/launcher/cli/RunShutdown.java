package io.ordermesh.launcher.cli;

import io.ordermesh.launcher.AotTraining;
import io.ordermesh.launcher.EmbeddedInfra;
import io.ordermesh.launcher.LogSetup;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How {@code run} stops, from the moment it begins starting anything: the node first (it drains, leaves
 * the cluster), then the embedded servers. The same sequence runs once, whoever asks first: the JVM's
 * shutdown hook (Ctrl-C, SIGTERM) or the run itself when its start failed. A signal that lands while
 * the node is starting waits for that start, then stops the node it made: left alone, its Vert.x would
 * die with the JVM, its cluster member leave without a word, and embedded Kafka (which has no hook of
 * its own) stop uncleanly.
 */
final class RunShutdown {

  private final CompletableFuture<OrdermeshNode> node = new CompletableFuture<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Duration startWait;
  private final Duration stopTimeout;
  private final Duration aotAssemblyTimeout;
  private volatile EmbeddedInfra infra;
  private volatile boolean nodeStartBegun;
  private volatile boolean signalled;

  private RunShutdown(Duration startWait, Duration stopTimeout, Duration aotAssemblyTimeout) {
    this.startWait = startWait;
    this.stopTimeout = stopTimeout;
    this.aotAssemblyTimeout = aotAssemblyTimeout;
  }

  /**
   * @param startWait how long a signal's stop waits for a node still starting (the start's own bound)
   * @param stopTimeout how long the node may take to stop
   * @param aotAssemblyTimeout how long to wait for an AOT cache still being written
   */
  static RunShutdown register(Duration startWait, Duration stopTimeout, Duration aotAssemblyTimeout) {
    RunShutdown shutdown = new RunShutdown(startWait, stopTimeout, aotAssemblyTimeout);
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::onSignal, "ordermesh-shutdown"));
    return shutdown;
  }

  /** The embedded servers are up: from now on this stops them, after the node. */
  void infraStarted(EmbeddedInfra started) {
    infra = started;
    started.leaveShutdownToOwner();
  }

  /** The node's start, whatever its outcome: a stop waits for it and stops the node it made. */
  void nodeStarting(Future<OrdermeshNode> start) {
    nodeStartBegun = true;
    start.onComplete(ar -> {
      if (ar.succeeded()) {
        node.complete(ar.result());
      } else {
        node.completeExceptionally(ar.cause());
      }
    });
  }

  /** The run gave up on its start: a stop does not wait for a node that may still come. */
  void startFailed(Throwable cause) {
    node.completeExceptionally(cause);
  }

  /** Whether the JVM was asked to exit (the run then has nothing to report but its stop). */
  boolean signalled() {
    return signalled;
  }

  /** Blocks until the stop has run to its end. */
  void awaitStopped() throws InterruptedException {
    done.await();
  }

  /**
   * Runs the stop on the calling thread, once: a second caller waits for the first one's to end. The
   * logs are left to whoever exits the JVM (Main, or the hook) to flush last.
   */
  void stopNow() {
    if (!stopping.compareAndSet(false, true)) {
      awaitQuietly();
      return;
    }
    try {
      stopNode();
    } finally {
      EmbeddedInfra servers = infra;
      if (servers != null) {
        servers.close();
      }
      AotTraining.discardUnlessReady();
      AotTraining.awaitAssembled(aotAssemblyTimeout);
      done.countDown();
    }
  }

  private void onSignal() {
    signalled = true;
    stopNow();
    LogSetup.flush();
  }

  private void stopNode() {
    if (!nodeStartBegun && !node.isDone()) {
      return; // stopped before a node was asked for: nothing of Vert.x to stop
    }
    OrdermeshNode started;
    try {
      started = node.get(startWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException failedStart) {
      return; // a start that failed stops what it made itself
    } catch (TimeoutException | InterruptedException e) {
      System.err.println("ordermesh: the node was still starting when the stop gave up waiting: " + e);
      return;
    }
    try {
      started.stop().toCompletionStage().toCompletableFuture().get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("ordermesh: node did not stop cleanly: " + e);
    }
  }

  private void awaitQuietly() {
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
