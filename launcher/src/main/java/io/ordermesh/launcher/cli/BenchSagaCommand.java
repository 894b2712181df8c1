package io.ordermesh.launcher.cli;

import io.ordermesh.loadtest.SagaBenchmark;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ordermesh bench saga}: completed sagas per second and completion latency, open loop. */
@Command(name = "saga", mixinStandardHelpOptions = true,
    description = {"Places orders at a constant arrival rate through the gateway, from customers load-1..load-N in turn,",
        "and follows each saga to CONFIRMED/CANCELLED on Kafka. Needs a node started with",
        "--seed-customers N --seed-stock M --rate-limit 0 (see load-tests/README.md)."})
public final class BenchSagaCommand implements Callable<Integer> {

  @Mixin
  HomeOption homeOption;

  @Mixin
  BenchTargetOptions target;

  @Option(names = "--kafka", defaultValue = "127.0.0.1:" + Defaults.EMBEDDED_KAFKA_PORT, paramLabel = "HOST:PORT",
      description = "Kafka the system publishes its events to. Default: ${DEFAULT-VALUE}")
  String kafka;

  @Option(names = "--rate", defaultValue = "500", paramLabel = "N",
      description = "Orders placed per second. Default: ${DEFAULT-VALUE}")
  int rate;

  @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "The measured (steady) window. Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Load before the measured window, not measured. Default: ${DEFAULT-VALUE}")
  Duration warmup;

  @Option(names = "--prewarm", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Before the warm-up: orders at a fifth of the rate, then a wait until they ended (0s = none). Default: ${DEFAULT-VALUE}")
  Duration prewarm;

  @Option(names = "--drain", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long to wait after the last placement for sagas to end; the rest are incomplete. Default: ${DEFAULT-VALUE}")
  Duration drain;

  @Option(names = "--customers", defaultValue = "100", paramLabel = "N",
      description = "Rotate over customers load-1..load-N (at most what the node was seeded with). Default: ${DEFAULT-VALUE}")
  int customers;

  @Option(names = "--skus", defaultValue = "SKU-1,SKU-2,SKU-3", split = ",", paramLabel = "LIST",
      description = "Products ordered, one line per order, in turn. Default: ${DEFAULT-VALUE}")
  List<String> skus;

  @Option(names = "--connections", defaultValue = "64", paramLabel = "N",
      description = "Most HTTP connections the driver opens. Default: ${DEFAULT-VALUE}")
  int connections;

  @Override
  public Integer call() throws Exception {
    if (customers <= 0) {
      System.err.println("--customers must be > 0, but was " + customers);
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      AuthConfig auth = BenchSupport.auth(homeOption, target.jwtSecret);
      List<String> tokens = new ArrayList<>(customers);
      for (int i = 1; i <= customers; i++) {
        tokens.add(BenchSupport.token(vertx, auth, "load-" + i, List.of()));
      }
      SagaBenchmark benchmark = new SagaBenchmark(new SagaBenchmark.Settings(URI.create(target.url), kafka, tokens, skus,
          rate, warmup, duration, drain, connections, prewarm, Math.max(1, rate / 5)));
      System.err.printf("bench saga: %d orders/s for %s (after %s pre-warm at %d/s and %s warm-up; up to %s drain) against %s%n",
          rate, duration, prewarm, Math.max(1, rate / 5), warmup, drain, target.url);
      BenchSupport.await(vertx.deployVerticle(benchmark), Duration.ofSeconds(30));
      JsonObject report = BenchSupport.await(benchmark.report(),
          prewarm.plus(warmup).plus(duration).plus(drain.multipliedBy(2)).multipliedBy(2).plusMinutes(1));
      System.out.println(SagaBenchmark.table(report));
      BenchSupport.write(target.json, report);
      return 0;
    } finally {
      vertx.close();
    }
  }
}
