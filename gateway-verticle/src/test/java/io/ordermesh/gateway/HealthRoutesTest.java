package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.platform.service.ServiceHealth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /health/ready} against stand-in services that are up and count how often they are asked. */
class HealthRoutesTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int PROBES = 10;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private Vertx vertx;
  private HttpServer server;

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void answersAFloodOfProbesFromOneCheckWhileItIsFresh() throws Exception {
    start(Duration.ofHours(1));

    for (int i = 0; i < PROBES; i++) {
      assertThat(probe()).isEqualTo(200);
    }

    assertThat(asked).containsOnlyKeys(HealthRoutes.SERVICES.toArray(String[]::new))
        .allSatisfy((service, count) -> assertThat(count).as(service).hasValue(1));
  }

  @Test
  void checksAgainOnceTheLastAnswerIsStale() throws Exception {
    start(Duration.ZERO);

    for (int i = 0; i < PROBES; i++) {
      assertThat(probe()).isEqualTo(200);
    }

    assertThat(asked).allSatisfy((service, count) -> assertThat(count).as(service).hasValue(PROBES));
  }

  private void start(Duration reuse) {
    vertx = Vertx.vertx();
    for (String service : HealthRoutes.SERVICES) {
      vertx.eventBus().<JsonObject>consumer(ServiceHealth.address(service), m -> {
        asked.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
        m.reply(new JsonObject().put("up", true));
      }).completion().await();
    }
    vertx.eventBus().<JsonObject>consumer(ServiceHealth.NODE, m -> m.reply(new JsonObject().put("status", "UP")))
        .completion().await();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        new HealthRoutes(vertx, Duration.ofSeconds(2), reuse).mount(router);
        return vertx.createHttpServer().requestHandler(router).listen(0).onSuccess(s -> server = s);
      }
    }).await();
  }

  private int probe() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/health/ready"))
        .timeout(TIMEOUT).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
