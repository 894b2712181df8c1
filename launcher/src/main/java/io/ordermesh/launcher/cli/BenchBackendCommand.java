package io.ordermesh.launcher.cli;

import io.ordermesh.loadtest.PlainBackend;
import io.ordermesh.platform.config.Defaults;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ordermesh bench backend}: the plain Vert.x service the nginx baseline proxies to. */
@Command(name = "backend", mixinStandardHelpOptions = true,
    description = {"Serves GET /api/v1/users/me as the user service would (same SQL, same JSON, per request) and",
        "GET /static/users/me (that JSON, read once) with no gateway in front: the nginx baseline's backend.",
        "Runs until stopped."})
public final class BenchBackendCommand implements Callable<Integer> {

  @Option(names = "--pg", required = true, paramLabel = "URL",
      description = {"The PostgreSQL the system uses, e.g. postgres://ordermesh:secret@127.0.0.1:15432/ordermesh",
          "(add ?host=/dir/of/its/socket to connect over its Unix socket, as a node on the same box does)"})
  String pg;

  @Option(names = "--port", defaultValue = "18090", paramLabel = "N", description = "HTTP port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--customer", defaultValue = "load-1", paramLabel = "ID",
      description = "The customer whose profile is served. Default: ${DEFAULT-VALUE}")
  String customer;

  @Option(names = "--pool-size", defaultValue = "" + Defaults.PG_POOL_SIZE, paramLabel = "N",
      description = "PostgreSQL connections, as many as a service's pool. Default: ${DEFAULT-VALUE}")
  int poolSize;

  @Override
  public Integer call() throws Exception {
    // The native transport, as a node has: it is what lets the pool take a Unix socket (?host=/dir).
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    PlainBackend backend = new PlainBackend(new PlainBackend.Settings(port, pg, customer, poolSize));
    try {
      BenchSupport.await(vertx.deployVerticle(backend), Duration.ofSeconds(30));
    } catch (Exception e) {
      System.err.println("plain backend did not start: " + e.getMessage());
      vertx.close();
      return 1;
    }
    System.out.printf("plain backend ready on http://127.0.0.1:%d (GET /api/v1/users/me, /static/users/me)%n",
        backend.actualPort());
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      stopped.countDown();
    }, "plain-backend-shutdown"));
    stopped.await();
    return 0;
  }
}
