package io.ordermesh.launcher.node;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * A node's management port: {@code /metrics} and {@code /health/live} on every node, whatever
 * services it runs, so Prometheus can scrape nodes that have no gateway.
 */
public final class ManagementVerticle extends VerticleBase {

  private final int port;
  private HttpServer server;

  public ManagementVerticle(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    return vertx.createHttpServer().requestHandler(router).listen(port).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
