package io.ordermesh.launcher.cli;

import io.ordermesh.launcher.DemoSeed;
import io.ordermesh.loadtest.BreakerBenchmark;
import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ordermesh bench breaker}: measures fail-fast under an injected fault on a running system. */
@Command(name = "breaker", mixinStandardHelpOptions = true,
    description = "Silences inventory through /admin/faults and measures time to open and the routes' latency.")
public final class BenchBreakerCommand implements Callable<Integer> {

  @Mixin
  HomeOption homeOption;

  @Mixin
  BenchTargetOptions target;

  @Option(names = "--rate", defaultValue = "100", paramLabel = "N",
      description = "Requests per second per route (keep under --rate-limit of the node). Default: ${DEFAULT-VALUE}")
  int rate;

  @Option(names = "--phase", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Length of each measured phase. Default: ${DEFAULT-VALUE}")
  Duration phase;

  @Option(names = "--sku", defaultValue = "SKU-1", description = "The catalogue entry read. Default: ${DEFAULT-VALUE}")
  String sku;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AuthConfig auth = BenchSupport.auth(homeOption, target.jwtSecret);
      String customer = BenchSupport.token(vertx, auth, DemoSeed.RICH_CUSTOMER, List.of());
      String admin = BenchSupport.token(vertx, auth, "ordermesh-bench", List.of("admin"));
      JsonObject report = BenchSupport.await(new BreakerBenchmark(vertx, URI.create(target.url), customer, admin,
          new BreakerBenchmark.Settings(rate, phase, sku)).run(), phase.multipliedBy(10));
      System.out.println(BreakerBenchmark.table(report));
      BenchSupport.write(target.json, report);
      return 0;
    } finally {
      vertx.close();
    }
  }
}
