package io.ordermesh.gateway;

import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.faults.FaultInjection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;

/**
 * The HTTP front door. It authenticates, validates, assigns the correlation id, and turns requests
 * into event-bus requests; it holds no business logic and knows services only by address.
 */
public final class GatewayVerticle extends VerticleBase {

  /** The invariant check reads every recent order across four services: give it more than a route's 2 s. */
  private static final java.time.Duration CONSISTENCY_TIMEOUT = java.time.Duration.ofSeconds(30);

  private static final long SHUTDOWN_GRACE_SECONDS = 5;

  private HttpServer server;

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    Future<OpenApiValidation> openApi = OpenApiValidation.load(vertx);
    Future<JWTAuth> verifier = JwtTokens.verifier(vertx, config.auth());
    RateLimiter rateLimiter = new RateLimiter(vertx, config.gateway(), System::nanoTime);
    return Future.all(openApi, verifier, rateLimiter.shareAcrossInstances())
        .compose(ready -> vertx.createHttpServer(new HttpServerOptions().setHost(config.http().host())
                .setCompressionSupported(true))
            .requestHandler(router(config, openApi.result(), verifier.result(), rateLimiter))
            .listen(config.http().port())
            .onSuccess(s -> server = s));
  }

  private Router router(OrdermeshConfig config, OpenApiValidation openApi, JWTAuth jwt, RateLimiter rateLimiter) {
    BusClient bus = new BusClient(vertx, config.gateway());
    Router router = Router.router(vertx);
    router.route().handler(Correlation::assign);
    router.route().failureHandler(Problems::handle);
    new HealthRoutes(vertx, config.bus().requestTimeout()).mount(router);
    router.get("/openapi.json").handler(openApi::serve);
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    JWTAuthHandler authenticated = JWTAuthHandler.create(
        new VerifiedTokens(jwt, Defaults.GATEWAY_REMEMBERED_TOKENS, () -> System.currentTimeMillis() / 1000));
    for (String secured : new String[] {"/api/*", "/admin/*"}) {
      router.route(secured).handler(BodyHandler.create(false).setBodyLimit(config.http().bodyLimitBytes()));
      router.route(secured).handler(authenticated);
      router.route(secured).handler(rateLimiter::handle);
    }
    new OrderRoutes(bus, openApi, new OrderEventsStream(vertx, bus)).mount(router);
    new CatalogueRoutes(bus, openApi).mount(router);
    new AdminRoutes(vertx, new ConsistencyCheck(vertx.eventBus(), CONSISTENCY_TIMEOUT), bus, FaultInjection.client(vertx))
        .mount(router);
    // Unmatched paths and methods get the same problem+json as everything else.
    router.errorHandler(404, Problems::handle);
    router.errorHandler(405, Problems::handle);
    return router;
  }

  /** The port actually bound (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    // Stop taking connections, let requests in flight finish, then close.
    return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
  }
}
