package io.ordermesh.launcher.node;

import io.ordermesh.platform.service.ClusterView;
import io.ordermesh.platform.service.ServiceHealth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Whether this node can take its share of the work: it is a member of the cluster, and every service
 * it runs is up here (database, Kafka partitions) and listed for this node in the cluster's
 * subscription map, so requests from any node can reach it. Unlike the gateway's readiness, which
 * asks each service wherever it runs, this asks this node's own instances (local-only requests).
 */
public final class NodeReadiness {

  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final String nodeId;
  private final List<Service> services;

  public NodeReadiness(Vertx vertx, String nodeId, Set<Service> services) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.services = services.stream().filter(s -> s != Service.GATEWAY).sorted().toList();
  }

  /** {@code {"status":"UP|DOWN","node","cluster":{...},"services":[health of each local service]}}. */
  public Future<JsonObject> check() {
    ClusterView cluster = ClusterView.of(vertx);
    List<Future<JsonObject>> checks = services.stream().map(this::checkLocal).toList();
    return Future.join(checks).transform(ignored -> {
      JsonArray answers = new JsonArray(checks.stream().map(Future::result).toList());
      boolean servicesUp = checks.stream().allMatch(c -> c.result().getBoolean("up", false));
      JsonObject membership = cluster.membership();
      boolean up = servicesUp && membership.getBoolean("member");
      return Future.succeededFuture(new JsonObject().put("status", up ? "UP" : "DOWN").put("node", nodeId)
          .put("cluster", membership).put("services", answers));
    });
  }

  private Future<JsonObject> checkLocal(Service service) {
    return vertx.eventBus().<JsonObject>request(ServiceHealth.address(service.cliName()), new JsonObject(),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(CHECK_TIMEOUT.toMillis()))
        .map(reply -> reply.body())
        .otherwise(error -> new JsonObject().put("service", service.cliName()).put("up", false)
            .put("error", String.valueOf(error.getMessage())));
  }
}
