package io.ordermesh.gateway;

import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.faults.FaultInjection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.AuthenticationHandler;

/**
 * The HTTP front door. It authenticates, validates, assigns the correlation id, and turns requests
 * into event-bus requests; it holds no business logic and knows services only by address.
 */
public final class GatewayVerticle extends VerticleBase {

  /** The invariant check reads every recent order across four services: give it more than a route's 2 s. */
  private static final java.time.Duration CONSISTENCY_TIMEOUT = java.time.Duration.ofSeconds(30);

  private static final long SHUTDOWN_GRACE_SECONDS = 5;

  private final Future<?> backendsUp;
  private final DeploymentShared shared;
  private HttpServer server;

  /** A gateway that listens as soon as it is ready. */
  public GatewayVerticle() {
    this(Future.succeededFuture());
  }

  /**
   * A gateway that prepares its routes right away but opens its port only once {@code backendsUp}
   * succeeds, and fails to start with its cause if it fails. Loading the OpenAPI contract takes a few
   * hundred milliseconds of a node's start, which it can spend while the services migrate and join
   * their consumer groups; a request let in before any service listened would find no handler, which
   * the breakers count as a failure.
   */
  public GatewayVerticle(Future<?> backendsUp) {
    this(backendsUp, new DeploymentShared());
  }

  private GatewayVerticle(Future<?> backendsUp, DeploymentShared shared) {
    this.backendsUp = backendsUp;
    this.shared = shared;
  }

  /**
   * Instances for one deployment, sharing what {@link DeploymentShared} holds: among it the API
   * contract, loaded and compiled once (a few hundred milliseconds of CPU in a cold JVM, which a
   * node's start would otherwise pay per core).
   */
  public static Supplier<GatewayVerticle> instances(Future<?> backendsUp) {
    DeploymentShared shared = new DeploymentShared();
    return () -> new GatewayVerticle(backendsUp, shared);
  }

  @Override
  public Future<?> start() {
    OrdermeshConfig config = OrdermeshConfig.fromJson(config());
    // Loaded on the first instance's context; each instance goes on on its own.
    Future<OpenApiValidation> openApi = onThisContext(shared.contract(vertx));
    Future<JWTAuth> verifier = JwtTokens.verifier(vertx, config.auth());
    RateLimiter rateLimiter = shared.rateLimiter(vertx, config.gateway());
    BusClient bus = new BusClient(vertx, config.gateway(), shared.dependencies);
    // Registered here, on this verticle's context: the streams' state is its event loop's alone.
    OrderEventsStream events = OrderEventsStream.listening(vertx, bus, config.saga().deadline());
    return Future.all(openApi, verifier, rateLimiter.shareAcrossInstances(), events.listens())
        .map(ready -> router(config, openApi.result(), verifier.result(), rateLimiter, bus, events))
        .compose(router -> onThisContext(backendsUp).map(router))
        .compose(router -> vertx.createHttpServer(new HttpServerOptions().setHost(config.http().host())
                .setCompressionSupported(true))
            .requestHandler(router)
            .listen(sharedPort(config.http().port()))
            .onSuccess(s -> server = s));
  }

  /**
   * {@code other} completes on whichever context its work ran on, and an HTTP server belongs to the
   * context that calls {@code listen}: the gateway's must be its own.
   */
  private <T> Future<T> onThisContext(Future<T> other) {
    Promise<T> here = Promise.promise();
    other.onComplete(done -> context.runOnContext(v -> {
      if (done.succeeded()) {
        here.complete(done.result());
      } else {
        here.fail(done.cause());
      }
    }));
    return here.future();
  }

  private Router router(OrdermeshConfig config, OpenApiValidation openApi, JWTAuth jwt, RateLimiter rateLimiter,
      BusClient bus, OrderEventsStream events) {
    Router router = Router.router(vertx);
    // Handlers that always run together share one route: the router matches each route it passes,
    // on every request, and the metrics' route label names each one matched.
    router.route()
        .handler(Correlation::assign)
        .handler(ResponseHeaders::everywhere)
        .failureHandler(Problems::handle);
    AdminRoutes.mountSniffPage(router);
    new HealthRoutes(vertx, config.bus().requestTimeout()).mount(router);
    router.get("/openapi.json").handler(openApi::serve);
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    AuthenticationHandler authenticated = BearerHeader.authenticatingWith(
        new VerifiedTokens(new ClaimRules(jwt, config.auth().externalIssuer(), config.auth().externalAudience()),
            Defaults.GATEWAY_REMEMBERED_TOKENS, () -> System.currentTimeMillis() / 1000));
    for (String secured : new String[] {"/api/*", "/admin/*"}) {
      router.route(secured)
          .handler(BearerHeader.CHECK)
          .handler(BodyHandler.create(false).setBodyLimit(config.http().bodyLimitBytes()))
          .handler(authenticated)
          .handler(ResponseHeaders::privateAnswer)
          .handler(rateLimiter::handle);
    }
    // The router tries routes in the order they were added; reads are the most frequent requests.
    new CatalogueRoutes(bus, openApi, shared.lastKnownProducts).mount(router);
    new OrderRoutes(bus, openApi, events).mount(router);
    new AdminRoutes(vertx, new ConsistencyCheck(vertx.eventBus(), CONSISTENCY_TIMEOUT), bus, FaultInjection.client(vertx),
        openApi).mount(router);
    // Unmatched paths and methods, and paths that do not decode (`%zz`), get the same problem+json as everything else.
    // Vert.x hands its own 400 (a path that does not decode) to this handler with no status and no failure.
    router.errorHandler(400, ctx -> {
      ResponseHeaders.noSniffing(ctx);
      Problems.write(ctx, HttpProblem.badRequest("malformed request: the path does not decode"));
    });
    router.errorHandler(404, Problems::handle);
    router.errorHandler(405, Problems::handle);
    return router;
  }

  /**
   * The node runs one instance per core, which Vert.x lets share one port (connections are handed out
   * in turn); port 0 would give each instance a random port of its own, a negative one shares one.
   */
  private static int sharedPort(int configured) {
    return configured == 0 ? -1 : configured;
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
