package io.ordermesh.launcher.node;

import io.ordermesh.gateway.GatewayVerticle;
import io.ordermesh.platform.faults.FaultInjection;
import io.ordermesh.platform.sniff.EventBusTap;
import io.ordermesh.platform.metrics.Metrics;
import io.ordermesh.notification.mailbox.LocalMailboxVerticle;
import io.ordermesh.platform.service.ServiceHealth;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: a Vert.x instance (clustered or not) and the verticles it deployed. The
 * launcher and the tests start nodes the same way.
 */
public final class OrdermeshNode {

  private static final Logger LOG = LoggerFactory.getLogger(OrdermeshNode.class);
  /** Copies per second per node the sniffer tap makes at most. */
  private static final int SNIFF_RATE_CAP = 2_000;
  /**
   * How often a start asks whether the node is ready: an eighth of the time waited so far, within these
   * bounds. A start's last step (the consumer groups handing out partitions) ends at no set time, and a
   * fixed 200 ms between looks added 100 ms to the average start; a long wait (services on other nodes)
   * still looks only five times a second.
   */
  private static final Duration READY_POLL_MIN = Duration.ofMillis(10);
  private static final Duration READY_POLL_MAX = Duration.ofMillis(200);
  private static final long HEALTH_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final NodeSettings settings;
  private final NodeReadiness readiness;
  /** Deployed before the services (management port, mailbox), stopped after them. */
  private final List<String> infrastructure = new ArrayList<>();
  /** Service deployments complete in parallel, on whatever thread: a list safe for that. */
  private final List<String> services = new java.util.concurrent.CopyOnWriteArrayList<>();
  private String gatewayDeployment;
  private GatewayVerticle gateway;

  private OrdermeshNode(Vertx vertx, NodeSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.readiness = new NodeReadiness(vertx, settings.config().nodeId(), settings.services());
  }

  /** Creates Vert.x (joining the cluster if asked) and deploys the services, then the gateway. */
  public static Future<OrdermeshNode> start(NodeSettings settings) {
    return start(settings, CompletableFuture.completedFuture(null));
  }

  /**
   * As {@link #start(NodeSettings)}, with the services deployed only once {@code servicesNeed}
   * succeeds (the Kafka topics they use, checked by a launcher thread meanwhile); if it fails, so
   * does the start, with its cause.
   */
  public static Future<OrdermeshNode> start(NodeSettings settings, CompletionStage<?> servicesNeed) {
    // Not bound to any Vert.x context: when start-up fails, this Vert.x is closed before the caller hears of it.
    Promise<OrdermeshNode> started = Promise.promise();
    createVertx(settings).onFailure(started::fail).onSuccess(vertx -> {
      LOG.info("node {} runs Vert.x on the {} transport", settings.config().nodeId(), vertx.isNativeTransportEnabled()
          ? "native" : "NIO (no native one here: " + vertx.unavailableNativeTransportCause() + ")");
      OrdermeshNode node = new OrdermeshNode(vertx, settings);
      vertx.eventBus().<Object>localConsumer(ServiceHealth.NODE,
              request -> node.readiness.check().onSuccess(request::reply))
          .completion()
          .compose(v -> FaultInjection.install(vertx))
          .compose(faults -> EventBusTap.install(vertx, settings.config().nodeId(), settings.sniffRedacted(),
              SNIFF_RATE_CAP))
          .compose(tap -> Future.fromCompletionStage(servicesNeed, vertx.getOrCreateContext()))
          .compose(ready -> node.deployAll())
          .onSuccess(v -> started.complete(node))
          .onFailure(error -> node.stop().onComplete(closed -> started.fail(error)));
    });
    return started.future();
  }

  private static Future<Vertx> createVertx(NodeSettings settings) {
    VertxOptions options = new VertxOptions()
        // A blocked event loop is a bug here; say so early.
        .setWarningExceptionTime(Duration.ofSeconds(1).toNanos())
        .setMaxEventLoopExecuteTime(Duration.ofMillis(500).toNanos())
        .setPreferNativeTransport(true)
        .setMetricsOptions(Metrics.vertxOptions());
    if (settings.cluster().isEmpty()) {
      return Future.succeededFuture(Vertx.builder().with(options).build());
    }
    return ClusteredVertx.start(options, settings.cluster().get());
  }

  private Future<Void> deployAll() {
    JsonObject config = settings.config().toJson();
    Future<Void> chain = Future.succeededFuture();
    if (settings.managementPort() > 0) {
      chain = chain.compose(v -> vertx.deployVerticle(new ManagementVerticle(settings.managementPort(), readiness))
          .onSuccess(infrastructure::add)
          .mapEmpty());
    }
    if (settings.services().contains(Service.NOTIFICATION) && settings.config().notification().mailboxPort() > 0) {
      chain = chain.compose(v -> vertx.deployVerticle(new LocalMailboxVerticle(), new DeploymentOptions().setConfig(config)))
          .onSuccess(infrastructure::add)
          .mapEmpty();
    }
    return chain.compose(v -> deployServicesThenOpenGateway(config));
  }

  /**
   * Services start side by side (each migrates its own schema and joins its own consumer group), and
   * so does the gateway, which loads its contract meanwhile but opens its port only once all of them
   * are up: a request let in before any service listened would find no handler on the bus, a
   * transient failure the breakers count, and they could still be open when the node turned ready.
   * A start that fails reports the services' failure, which the gateway shares.
   */
  private Future<Void> deployServicesThenOpenGateway(JsonObject config) {
    List<Service> backends = settings.services().stream().filter(s -> s != Service.GATEWAY).sorted().toList();
    Future<Void> backendsUp = Future.join(backends.stream().map(service -> deploy(service, config)).toList())
        .mapEmpty();
    if (!settings.services().contains(Service.GATEWAY)) {
      return backendsUp;
    }
    Future<Void> gatewayUp = deployGateway(backendsUp, config);
    return Future.join(backendsUp, gatewayUp).transform(done -> backendsUp.failed() ? backendsUp : gatewayUp);
  }

  /**
   * Only the services that seed get the seed. Vert.x copies a deployment's config into every context it
   * makes for it, and its HTTP client makes one per request: with a load seed of 1000 customers in every
   * config, the notification service's webhook calls spent 7% of a node's CPU copying it.
   */
  private JsonObject configFor(Service service, JsonObject config) {
    return service.seeds() ? config.copy().put("seed", settings.seed()) : config;
  }

  private Future<Void> deploy(Service service, JsonObject config) {
    return vertx.deployVerticle(service.newVerticle(), new DeploymentOptions().setConfig(configFor(service, config)))
        .onSuccess(id -> {
          services.add(id);
          LOG.info("deployed {} on node {}", service.cliName(), settings.config().nodeId());
        })
        .mapEmpty();
  }

  /** One gateway instance per event loop asked for; they share the port, and Vert.x hands connections out in turn. */
  private Future<Void> deployGateway(Future<Void> backendsUp, JsonObject config) {
    DeploymentOptions options = new DeploymentOptions().setConfig(configFor(Service.GATEWAY, config))
        .setInstances(settings.gatewayInstances());
    Supplier<GatewayVerticle> instances = GatewayVerticle.instances(backendsUp);
    return vertx.deployVerticle(() -> {
          GatewayVerticle instance = instances.get();
          if (gateway == null) {
            gateway = instance;
          }
          return instance;
        }, options)
        .onSuccess(id -> {
          gatewayDeployment = id;
          LOG.info("deployed gateway ({} instances) on node {}", settings.gatewayInstances(),
              settings.config().nodeId());
        })
        .mapEmpty();
  }

  /**
   * Completes once this node is ready ({@link NodeReadiness}: a member, its own services up and
   * registered cluster-wide) and every service of the system answers its health address as up, from
   * anywhere in the cluster (so a gateway-only node waits for services on other nodes).
   */
  public Future<Void> awaitReady(Duration timeout) {
    long since = System.nanoTime();
    return pollReady(since, since + timeout.toNanos());
  }

  /** This node's readiness, as its management port's {@code /health/ready} answers it. */
  public Future<JsonObject> readiness() {
    return readiness.check();
  }

  private Future<Void> pollReady(long since, long deadline) {
    Future<Boolean> self = readiness.check().map(r -> "UP".equals(r.getString("status")));
    List<Future<Boolean>> checks = Service.all().stream()
        .filter(s -> s != Service.GATEWAY)
        .map(s -> vertx.eventBus().<JsonObject>request(ServiceHealth.address(s.cliName()), new JsonObject(),
                new DeliveryOptions().setSendTimeout(HEALTH_TIMEOUT_MS))
            .map(reply -> reply.body().getBoolean("up", false))
            .otherwise(false))
        .toList();
    return Future.all(self, Future.all(checks)).compose(all -> {
      boolean ready = self.result() && checks.stream().allMatch(Future::result);
      if (ready) {
        return Future.succeededFuture();
      }
      long now = System.nanoTime();
      if (now > deadline) {
        return Future.failedFuture(new IllegalStateException("node did not become ready in time"));
      }
      long pause = Math.max(READY_POLL_MIN.toMillis(),
          Math.min(READY_POLL_MAX.toMillis(), Duration.ofNanos(now - since).toMillis() / 8));
      return vertx.timer(pause).compose(v -> pollReady(since, deadline));
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeSettings settings() {
    return settings;
  }

  /** The gateway's bound HTTP port, or -1 when this node runs no gateway. */
  public int httpPort() {
    return gateway == null ? -1 : gateway.actualPort();
  }

  /**
   * Undeploys the gateway first (no new work), then every service at once (each withdraws its
   * addresses, answers stragglers and drains), then the rest, then leaves the cluster.
   */
  public Future<Void> stop() {
    long stopping = System.nanoTime();
    // Not bound to any Vert.x context: when it completes, Vert.x and its event loops are gone.
    Promise<Void> stopped = Promise.promise();
    Future<Void> gatewayStopped = gatewayDeployment == null ? Future.succeededFuture()
        : vertx.undeploy(gatewayDeployment);
    gatewayStopped
        .eventually(() -> Future.join(services.stream().map(vertx::undeploy).toList()))
        .eventually(() -> Future.join(infrastructure.stream().map(vertx::undeploy).toList()))
        .onComplete(undeployed -> {
          LOG.info("node {} undeployed everything in {} ms; leaving the cluster", settings.config().nodeId(),
              millisSince(stopping));
          vertx.close().onComplete(closed -> {
            LOG.info("node {} stopped in {} ms", settings.config().nodeId(), millisSince(stopping));
            stopped.handle(closed);
          });
        });
    return stopped.future();
  }

  private static long millisSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
  }
}
