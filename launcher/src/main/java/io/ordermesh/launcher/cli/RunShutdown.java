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

/**
 * What {@code run} does when the JVM is asked to exit (Ctrl-C, SIGTERM), from the moment it begins
 * starting anything: the node stops first (it drains, leaves the cluster), then the embedded servers.
 * A stop that lands while the node is still starting waits for that start, then stops the node it made:
 * left alone, its Vert.x would die with the JVM and its cluster member leave without a word, and
 * embedded Kafka (which has no hook of its own) stop uncleanly.
 */
final class RunShutdown {

  private final CompletableFuture<OrdermeshNode> node = new CompletableFuture<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Duration startWait;
  private final Duration stopTimeout;
  private final Duration aotAssemblyTimeout;
  private volatile EmbeddedInfra infra;

  private RunShutdown(Duration startWait, Duration stopTimeout, Duration aotAssemblyTimeout) {
    this.startWait = startWait;
    this.stopTimeout = stopTimeout;
    this.aotAssemblyTimeout = aotAssemblyTimeout;
  }

  /**
   * @param startWait how long a stop waits for a node still starting (the start's own bound)
   * @param stopTimeout how long the node may take to stop
   * @param aotAssemblyTimeout how long to wait for an AOT cache still being written
   */
  static RunShutdown register(Duration startWait, Duration stopTimeout, Duration aotAssemblyTimeout) {
    RunShutdown shutdown = new RunShutdown(startWait, stopTimeout, aotAssemblyTimeout);
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "ordermesh-shutdown"));
    return shutdown;
  }

  /** The embedded servers are up: from now on this stops them, after the node. */
  void infraStarted(EmbeddedInfra started) {
    infra = started;
    started.leaveShutdownToOwner();
  }

  /** The node's start, whatever its outcome: a stop waits for it and stops the node it made. */
  void nodeStarting(Future<OrdermeshNode> start) {
    start.onComplete(ar -> {
      if (ar.succeeded()) {
        node.complete(ar.result());
      } else {
        node.completeExceptionally(ar.cause());
      }
    });
  }

  /** Blocks until a shutdown has run to its end. */
  void awaitStopped() throws InterruptedException {
    done.await();
  }

  private void run() {
    try {
      stopNode();
    } finally {
      EmbeddedInfra servers = infra;
      if (servers != null) {
        servers.close();
      }
      AotTraining.awaitAssembled(aotAssemblyTimeout);
      LogSetup.flush();
      done.countDown();
    }
  }

  private void stopNode() {
    OrdermeshNode started;
    try {
      started = node.get(startWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException failedStart) {
      return; // a failed start stops what it made itself
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
}
