package io.ordermesh.gateway;

import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.ordermesh.platform.resilience.Dependency;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the instances of one gateway deployment share, each on its own event loop: the API contract
 * (loaded and compiled once), the rate limiter (a principal's limit is the node's), the dependencies
 * (one breaker, bulkhead and retry budget per edge) and the catalogue's last answers (the stale
 * fallback does not depend on which instance a connection reached). A new deployment gets a new one,
 * so a gateway deployed again starts with its own policies and closed breakers.
 */
final class DeploymentShared {

  final Map<String, Dependency> dependencies = new ConcurrentHashMap<>();
  final Map<String, JsonObject> lastKnownProducts = new ConcurrentHashMap<>();
  private Future<OpenApiValidation> contract;
  private RateLimiter rateLimiter;

  /** The first instance to start loads the contract; the others wait for the same load. */
  synchronized Future<OpenApiValidation> contract(Vertx vertx) {
    if (contract == null) {
      contract = OpenApiValidation.load(vertx);
    }
    return contract;
  }

  synchronized RateLimiter rateLimiter(Vertx vertx, GatewayConfig config) {
    if (rateLimiter == null) {
      rateLimiter = new RateLimiter(vertx, config, System::nanoTime);
    }
    return rateLimiter;
  }
}
