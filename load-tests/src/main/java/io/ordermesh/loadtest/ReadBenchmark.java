package io.ordermesh.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;

/**
 * Maximum throughput of one GET route at a fixed number of connections, closed loop (see
 * {@link ClosedLoop}): requests per second and service-time percentiles. Deployed as a verticle so the
 * loop and its connections live on one event loop.
 */
public final class ReadBenchmark extends VerticleBase {

  /**
   * @param target the URL read, e.g. {@code http://localhost:8080/api/v1/users/me}
   * @param token bearer token sent with every request, or null
   */
  public record Settings(URI target, String token, int connections, Duration warmup, Duration duration) {
    public Settings {
      if (connections <= 0) {
        throw new IllegalArgumentException("connections must be > 0, but was " + connections);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration must be > 0, but was " + duration);
      }
    }
  }

  private final Settings settings;
  private final Promise<JsonObject> report = Promise.promise();
  private HttpClient http;

  public ReadBenchmark(Settings settings) {
    this.settings = settings;
  }

  public Future<JsonObject> report() {
    return report.future();
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(settings.connections()));
    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(settings.target().toString());
    if (settings.token() != null) {
      get.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.token());
    }
    new ClosedLoop(vertx)
        .run(settings.connections(), settings.warmup(), settings.duration(),
            () -> http.request(get).compose(req -> req.send()).compose(r -> r.body().map(b -> r.statusCode())))
        .map(this::toJson)
        .onComplete(report);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return http.close();
  }

  private JsonObject toJson(ClosedLoop.Result result) {
    return new JsonObject()
        .put("tool", "ordermesh bench read (Java, closed loop)")
        .put("target", settings.target().toString())
        .put("connections", settings.connections())
        .put("warmupMs", settings.warmup().toMillis())
        .put("durationMs", result.window().toMillis())
        .put("requests", result.requests())
        .put("errors", result.errors())
        .put("requestsPerSecond", Math.round(result.requestsPerSecond() * 10) / 10.0)
        .put("latencyMs", SagaTracker.percentiles(result.latencies()));
  }
}
