package io.ordermesh.launcher.cli;

import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.ordermesh.platform.config.OrdermeshConfig.NotificationConfig;
import io.ordermesh.platform.config.OrdermeshConfig.SagaConfig;
import io.ordermesh.platform.resilience.ResiliencePolicy;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --policy EDGE.SETTING=VALUE}: one setting of how one synchronous edge is defended, over the
 * defaults of docs/resilience.md. Edges: {@code gateway} (every service the gateway calls), then
 * {@code gateway.order}, {@code gateway.user}, {@code gateway.inventory}, {@code gateway.notification}
 * on top of it; {@code order.user} (the placement's customer check); {@code notification.provider}
 * (the webhook). Settings are the policy's own names, times in milliseconds: {@code timeoutMs},
 * {@code maxAttempts}, {@code backoffBaseMs}, {@code backoffCapMs}, {@code retryBudgetRatio},
 * {@code budgetWindowMs}, {@code breakerMaxFailures}, {@code breakerResetMs}, {@code maxConcurrent};
 * the webhook takes {@code timeoutMs}, {@code maxAttempts}, {@code backoffBaseMs}, {@code backoffCapMs},
 * {@code breakerMaxFailures}, {@code breakerResetMs} and {@code parkForMs}.
 */
final class PolicyOverrides {

  static final String GATEWAY = "gateway";
  private static final List<String> GATEWAY_SERVICES = List.of("order", "user", "inventory", "notification");
  private static final String CUSTOMER_CHECK = "order.user";
  private static final String PROVIDER = "notification.provider";
  private static final Set<String> POLICY_SETTINGS = Set.of("timeoutMs", "maxAttempts", "backoffBaseMs",
      "backoffCapMs", "retryBudgetRatio", "budgetWindowMs", "breakerMaxFailures", "breakerResetMs", "maxConcurrent");
  private static final Set<String> PROVIDER_SETTINGS = Set.of("timeoutMs", "maxAttempts", "backoffBaseMs",
      "backoffCapMs", "breakerMaxFailures", "breakerResetMs", "parkForMs");

  /** The changes, by edge, as the JSON keys of the policy they change. */
  private final Map<String, JsonObject> changes;

  private PolicyOverrides(Map<String, JsonObject> changes) {
    this.changes = changes;
  }

  /** Reads {@code EDGE.SETTING -> VALUE}; an unknown edge or setting, or a value that is not a number, is refused. */
  static PolicyOverrides parse(Map<String, String> entries) {
    Map<String, JsonObject> changes = new LinkedHashMap<>();
    entries.forEach((key, value) -> {
      int dot = key.lastIndexOf('.');
      String edge = dot < 0 ? "" : key.substring(0, dot);
      String setting = key.substring(dot + 1);
      Set<String> settings = settingsOf(edge, key);
      if (!settings.contains(setting)) {
        throw new IllegalArgumentException("--policy " + key + ": unknown setting '" + setting + "' of " + edge
            + "; known: " + String.join(", ", settings.stream().sorted().toList()));
      }
      changes.computeIfAbsent(edge, e -> new JsonObject()).put(setting, number(key, setting, value));
    });
    return new PolicyOverrides(changes);
  }

  private static Set<String> settingsOf(String edge, String key) {
    if (edge.equals(GATEWAY) || edge.equals(CUSTOMER_CHECK)
        || edge.startsWith(GATEWAY + ".") && GATEWAY_SERVICES.contains(edge.substring(GATEWAY.length() + 1))) {
      return POLICY_SETTINGS;
    }
    if (edge.equals(PROVIDER)) {
      return PROVIDER_SETTINGS;
    }
    throw new IllegalArgumentException("--policy " + key + ": unknown edge '" + edge + "'; known: gateway, "
        + String.join(", ", GATEWAY_SERVICES.stream().map(s -> GATEWAY + "." + s).toList()) + ", " + CUSTOMER_CHECK
        + ", " + PROVIDER);
  }

  private static Number number(String key, String setting, String value) {
    try {
      return setting.equals("retryBudgetRatio") ? Double.parseDouble(value.trim()) : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--policy " + key + ": '" + value + "' is not a number"
          + (setting.endsWith("Ms") ? " of milliseconds" : ""));
    }
  }

  /**
   * The gateway's policies with the changes: {@code gateway} applies to every service it calls (the
   * catalogue's shorter timeout included), {@code gateway.SERVICE} then to that one.
   */
  GatewayConfig applyTo(GatewayConfig gateway) {
    ResiliencePolicy services = changed(GATEWAY, gateway.services());
    Map<String, ResiliencePolicy> overrides = new HashMap<>();
    gateway.overrides().forEach((service, policy) -> overrides.put(service, changed(GATEWAY, policy)));
    for (String service : GATEWAY_SERVICES) {
      String edge = GATEWAY + "." + service;
      if (changes.containsKey(edge)) {
        overrides.put(service, changed(edge, overrides.getOrDefault(service, services)));
      }
    }
    return new GatewayConfig(gateway.rateLimitPerSecond(), gateway.rateLimitBurst(), gateway.rateLimitShareInterval(),
        services, overrides);
  }

  SagaConfig applyTo(SagaConfig saga) {
    return new SagaConfig(saga.deadline(), saga.idempotencyKeyTtl(), changed(CUSTOMER_CHECK, saga.customerCheck()));
  }

  NotificationConfig applyTo(NotificationConfig n) {
    JsonObject provider = changes.get(PROVIDER);
    if (provider == null) {
      return n;
    }
    return new NotificationConfig(n.providerUrl(), millis(provider, "timeoutMs", n.timeout()),
        provider.getInteger("maxAttempts", n.maxAttempts()), millis(provider, "backoffBaseMs", n.backoffBase()),
        millis(provider, "backoffCapMs", n.backoffCap()), millis(provider, "parkForMs", n.parkFor()),
        provider.getInteger("breakerMaxFailures", n.breakerMaxFailures()),
        millis(provider, "breakerResetMs", n.breakerReset()), n.mailboxPort(), n.mailboxHost());
  }

  private ResiliencePolicy changed(String edge, ResiliencePolicy policy) {
    JsonObject change = changes.get(edge);
    return change == null ? policy : ResiliencePolicy.fromJson(policy.toJson().mergeIn(change));
  }

  private static Duration millis(JsonObject json, String key, Duration otherwise) {
    return json.containsKey(key) ? Duration.ofMillis(json.getLong(key)) : otherwise;
  }
}
