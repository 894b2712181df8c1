package io.ordermesh.launcher.node;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * A node's management port: {@code /metrics}, {@code /health/live} and {@code /health/ready} on every
 * node, whatever services it runs, so Prometheus can scrape, and an orchestrator probe, nodes that
 * have no gateway. Ready is {@link NodeReadiness}: this node's own share of the cluster, where a
 * gateway's {@code /health/ready} asks whether the whole system can serve.
 */
public final class ManagementVerticle extends VerticleBase {

  private final int port;
  private final NodeReadiness readiness;
  private HttpServer server;

  public ManagementVerticle(int port, NodeReadiness readiness) {
    this.port = port;
    this.readiness = readiness;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> readiness.check().onComplete(ar -> {
      JsonObject answer = ar.succeeded() ? ar.result()
          : new JsonObject().put("status", "DOWN").put("error", ar.cause().getMessage());
      ctx.response().setStatusCode("UP".equals(answer.getString("status")) ? 200 : 503);
      ctx.json(answer);
    }));
    return vertx.createHttpServer().requestHandler(router).listen(port).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
