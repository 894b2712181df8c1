package io.ordermesh.gateway;

import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.contracts.NotificationAddresses;
import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.platform.service.ServiceHealth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready}: every service answers on
 * the event bus from somewhere in the cluster with its PostgreSQL reachable and its Kafka consumers
 * holding partitions (asking over the bus also proves the bus subscriptions have propagated), and this
 * gateway's own node is ready: a member, its services up and listed for it cluster-wide.
 */
final class HealthRoutes {

  static final List<String> SERVICES = List.of(
      OrderAddresses.SERVICE, InventoryAddresses.SERVICE, UserAddresses.SERVICE, NotificationAddresses.SERVICE);

  /**
   * How long one readiness answer serves every probe: {@code /health/ready} needs no token and each
   * check asks every service over the bus and each service its database, so a flood of probes would
   * otherwise be a flood of queries.
   */
  static final Duration ANSWER_REUSED_FOR = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final HealthChecks readiness;
  private final long checkTimeoutMs;
  private final long reuseNanos;
  private Future<CheckResult> lastCheck;
  private long lastCheckStartedAt;

  HealthRoutes(Vertx vertx, Duration checkTimeout) {
    this(vertx, checkTimeout, ANSWER_REUSED_FOR);
  }

  HealthRoutes(Vertx vertx, Duration checkTimeout, Duration reuseAnswerFor) {
    this.vertx = vertx;
    this.checkTimeoutMs = checkTimeout.toMillis();
    this.reuseNanos = reuseAnswerFor.toNanos();
    this.readiness = HealthChecks.create(vertx);
    SERVICES.forEach(service -> readiness.register(service, checkTimeoutMs, promise -> check(service, promise)));
    if (vertx.isClustered()) {
      readiness.register("cluster", checkTimeoutMs, this::checkCluster);
    }
    readiness.register("node", checkTimeoutMs, this::checkNode);
  }

  void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void check(String service, Promise<Status> promise) {
    vertx.eventBus().<JsonObject>request(ServiceHealth.address(service), new JsonObject(),
            new DeliveryOptions().setSendTimeout(checkTimeoutMs))
        .map(reply -> reply.body().getBoolean("up", false) ? Status.OK(reply.body()) : Status.KO(reply.body()))
        .otherwise(error -> Status.KO(new JsonObject().put("error", error.getMessage())))
        .onComplete(ar -> promise.complete(ar.result()));
  }

  /** This node's own readiness, asked of this node only (a gateway is not ready on a node that is not). */
  private void checkNode(Promise<Status> promise) {
    vertx.eventBus().<JsonObject>request(ServiceHealth.NODE, null,
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(checkTimeoutMs))
        .map(reply -> "UP".equals(reply.body().getString("status")) ? Status.OK(reply.body()) : Status.KO(reply.body()))
        .otherwise(error -> Status.KO(new JsonObject().put("error", error.getMessage())))
        .onComplete(ar -> promise.complete(ar.result()));
  }

  /** This node is a member of the cluster (a node that left or was cut off is not ready). */
  private void checkCluster(Promise<Status> promise) {
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    JsonObject data = new JsonObject().put("member", cluster.isActive()).put("nodeId", cluster.getNodeId())
        .put("members", cluster.getNodes().size());
    promise.complete(cluster.isActive() ? Status.OK(data) : Status.KO(data));
  }

  /** A check in progress, or one that started less than {@link #ANSWER_REUSED_FOR} ago, answers this probe too. */
  private Future<CheckResult> readiness() {
    long now = System.nanoTime();
    if (lastCheck == null || (lastCheck.isComplete() && now - lastCheckStartedAt >= reuseNanos)) {
      lastCheck = readiness.checkStatus();
      lastCheckStartedAt = now;
    }
    return lastCheck;
  }

  private void ready(RoutingContext ctx) {
    readiness().onComplete(ar -> {
      CheckResult result = ar.succeeded() ? ar.result() : CheckResult.from("ready", ar.cause());
      boolean up = CheckResult.isUp(result);
      ctx.response()
          .setStatusCode(up ? 200 : 503)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(result.toJson().encode());
    });
  }
}
