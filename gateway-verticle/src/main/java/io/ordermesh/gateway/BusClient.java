package io.ordermesh.gateway;

import io.ordermesh.contracts.ServiceAddresses;
import io.ordermesh.platform.bus.BusFailures;
import io.ordermesh.platform.bus.BusHeaders;
import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Deadlines;
import io.ordermesh.platform.resilience.Dependency;
import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Requests onto the event bus on behalf of an HTTP caller: its identity and correlation id ride
 * along, and every request goes through the {@link Dependency} of the service it addresses (timeout,
 * retries within budget, breaker, bulkhead). All gateway operations are idempotent (reads, and writes
 * keyed by an Idempotency-Key or naturally idempotent like cancel), so transient failures are retried.
 * The dependencies are the deployment's: every gateway instance of it on this node calls through the
 * same ones.
 */
public final class BusClient {

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Map<String, Dependency> dependencies;

  /** A client with dependencies of its own. */
  public BusClient(Vertx vertx, GatewayConfig config) {
    this(vertx, config, new ConcurrentHashMap<>());
  }

  /** A client calling through {@code dependencies}, which other gateway instances may share (thread-safe). */
  BusClient(Vertx vertx, GatewayConfig config, Map<String, Dependency> dependencies) {
    this.vertx = vertx;
    this.config = config;
    this.dependencies = dependencies;
  }

  public Future<JsonObject> request(RoutingContext ctx, String address, JsonObject body) {
    String service = serviceOf(address);
    return request(ctx, address, body, dependencyFor(service, service));
  }

  /**
   * As {@link #request(RoutingContext, String, JsonObject)}, through a dependency of its own for the
   * service and this {@code use}: background traffic (a stream's polls) then has its own bulkhead and
   * breaker, and cannot fill or open the ones that guard the service's requests.
   */
  public Future<JsonObject> request(RoutingContext ctx, String address, JsonObject body, String use) {
    String service = serviceOf(address);
    return request(ctx, address, body, dependencyFor(service, service + " (" + use + ")"));
  }

  /**
   * As {@link #request(RoutingContext, String, JsonObject)}, for an answer sent on to the client as it
   * is: the JSON text a service that was asked for it answers with, or the encoding of the object a
   * service answers with that does not know the flag (a rolling upgrade). Adds {@code "asJsonText": true}
   * to {@code body}.
   */
  public Future<Buffer> requestJsonText(RoutingContext ctx, String address, JsonObject body) {
    String service = serviceOf(address);
    return call(ctx, address, body.put("asJsonText", true), dependencyFor(service, service), BusClient::jsonText);
  }

  private Future<JsonObject> request(RoutingContext ctx, String address, JsonObject body, Dependency dependency) {
    return call(ctx, address, body, dependency, JsonObject.class::cast);
  }

  private <T> Future<T> call(RoutingContext ctx, String address, JsonObject body, Dependency dependency,
      Function<Object, T> answer) {
    return dependency.callIdempotent(timeLeft -> vertx.eventBus()
        .request(address, body, options(ctx, timeLeft.toMillis()))
        .map(reply -> answer.apply(reply.body())));
  }

  /** The JSON text of an answer: the bytes a service sent, or the encoding of the object it sent. */
  static Buffer jsonText(Object answer) {
    if (answer instanceof Buffer text) {
      return text;
    }
    if (answer instanceof JsonObject object) {
      return object.toBuffer();
    }
    throw new IllegalStateException("a service answered with " + (answer == null ? "nothing" : answer.getClass().getName())
        + " where JSON was expected");
  }

  private static String serviceOf(String address) {
    return ServiceAddresses.serviceOf(address).orElse(address);
  }

  /** Breaker, bulkhead and retry state of every dependency this gateway has called. */
  public JsonArray snapshot() {
    return new JsonArray(dependencies.values().stream().sorted(Comparator.comparing(Dependency::name))
        .map(Dependency::snapshot).toList());
  }

  /** The dependency named {@code key} (the service, or the service and a use), on the service's policy. */
  private Dependency dependencyFor(String service, String key) {
    return dependencies.computeIfAbsent(key,
        name -> new Dependency(vertx, "gateway->" + name, config.policyFor(service), BusFailures::isTransient));
  }

  /** Delivery options that carry the caller's identity (when known), correlation id and trace context. */
  static DeliveryOptions options(RoutingContext ctx, long timeout) {
    if (ctx.user() == null) {
      return Deadlines.timed(timeout).addHeader(BusHeaders.CORRELATION_ID, Correlation.id(ctx))
          .addHeader(BusHeaders.TRACEPARENT, Correlation.traceparent(ctx));
    }
    return caller(ctx).deliveryOptions(timeout);
  }

  /** The authenticated caller of a request, as the services see it. */
  static Caller caller(RoutingContext ctx) {
    return new Caller(ctx.user().subject(), JwtTokens.roles(ctx.user()), Correlation.id(ctx),
        Correlation.traceparent(ctx));
  }
}
