package io.ordermesh.launcher.cli;

import io.ordermesh.loadtest.ReadBenchmark;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ordermesh bench read}: closed-loop maximum throughput of a routed read. */
@Command(name = "read", mixinStandardHelpOptions = true,
    description = {"Reads one route as fast as a fixed number of connections allows (closed loop):",
        "requests per second and service-time percentiles. Default route: GET /api/v1/users/me",
        "(HTTP -> event bus users.get -> user service -> PostgreSQL -> reply)."})
public final class BenchReadCommand implements Callable<Integer> {

  @Mixin
  HomeOption homeOption;

  @Mixin
  BenchTargetOptions target;

  @Option(names = "--path", defaultValue = "/api/v1/users/me", paramLabel = "PATH",
      description = "The route read. Default: ${DEFAULT-VALUE}")
  String path;

  @Option(names = "--sub", defaultValue = "load-1", paramLabel = "CUSTOMER",
      description = "Whose token is sent. Default: ${DEFAULT-VALUE}")
  String subject;

  @Option(names = "--connections", defaultValue = "16", paramLabel = "N",
      description = "Connections, each with one request in flight. Default: ${DEFAULT-VALUE}")
  int connections;

  @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "The measured window. Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Load before the measured window, not measured. Default: ${DEFAULT-VALUE}")
  Duration warmup;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String token = BenchSupport.token(vertx, BenchSupport.auth(homeOption, target.jwtSecret), subject, List.of());
      ReadBenchmark benchmark = new ReadBenchmark(new ReadBenchmark.Settings(URI.create(target.url).resolve(path), token,
          connections, warmup, duration));
      BenchSupport.await(vertx.deployVerticle(benchmark), Duration.ofSeconds(30));
      JsonObject report = BenchSupport.await(benchmark.report(), warmup.plus(duration).multipliedBy(2).plusMinutes(1));
      JsonObject latency = report.getJsonObject("latencyMs");
      System.out.printf(Locale.ROOT, "read %s, %d connections, %d s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors%n",
          report.getString("target"), connections, duration.toSeconds(), report.getDouble("requestsPerSecond"),
          latency.getDouble("p50"), latency.getDouble("p99"), latency.getDouble("max"), report.getLong("errors"));
      BenchSupport.write(target.json, report);
      return 0;
    } finally {
      vertx.close();
    }
  }
}
