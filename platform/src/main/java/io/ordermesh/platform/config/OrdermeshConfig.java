package io.ordermesh.platform.config;

import io.ordermesh.platform.resilience.ResiliencePolicy;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The whole runtime configuration, built once by the launcher, validated, and handed to every
 * verticle as JSON ({@link #toJson()}); verticles read it back with {@link #fromJson(JsonObject)}.
 * Defaults are the named constants in {@link Defaults}.
 */
public record OrdermeshConfig(
    String nodeId,
    HttpConfig http,
    PostgresConfig postgres,
    KafkaConfig kafka,
    SagaConfig saga,
    AuthConfig auth,
    BusConfig bus,
    OutboxConfig outbox,
    ConsumerConfig consumer,
    NotificationConfig notification,
    GatewayConfig gateway) {

  public OrdermeshConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(postgres, "postgres");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(saga, "saga");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(gateway, "gateway");
  }

  /**
   * The gateway's defences: requests per second per principal (token bucket; 0 = no limit) with its
   * burst, how often gateway instances tell each other what their principals spent (so the limit holds
   * cluster-wide), the policy of every service it calls, and per-service overrides of that policy.
   */
  public record GatewayConfig(int rateLimitPerSecond, int rateLimitBurst, Duration rateLimitShareInterval,
      ResiliencePolicy services, Map<String, ResiliencePolicy> overrides) {
    public GatewayConfig {
      Validate.notNegative("gateway.rateLimitPerSecond", rateLimitPerSecond);
      Validate.notNegative("gateway.rateLimitBurst", rateLimitBurst);
      Validate.positive("gateway.rateLimitShareInterval", rateLimitShareInterval);
      Objects.requireNonNull(services, "gateway.services");
      overrides = Map.copyOf(overrides);
    }

    /**
     * ARCHITECTURE section 7 defaults; inventory reads get a short timeout because the catalogue has a
     * stale fallback: failing fast there (the breaker opens within a second) is better than waiting.
     */
    public static GatewayConfig defaults(int rateLimitPerSecond) {
      ResiliencePolicy standard = ResiliencePolicy.defaults(Defaults.BUS_REQUEST_TIMEOUT);
      return new GatewayConfig(rateLimitPerSecond, rateLimitPerSecond * 2, Defaults.RATE_LIMIT_SHARE_INTERVAL, standard,
          Map.of("inventory", ResiliencePolicy.defaults(Defaults.CATALOGUE_TIMEOUT)));
    }

    public static GatewayConfig defaults() {
      return defaults(Defaults.RATE_LIMIT_PER_SECOND);
    }

    public ResiliencePolicy policyFor(String service) {
      return overrides.getOrDefault(service, services);
    }
  }

  /**
   * The notification provider (an HTTP webhook) and how it is defended: a timeout per call, retries
   * with exponential backoff and full jitter, a breaker, and parking of what still failed.
   *
   * @param mailboxPort the port of the built-in local mailbox in run mode; 0 runs none
   * @param mailboxHost the address the mailbox listens on: loopback unless told (it shows every
   *     notification to whoever asks)
   */
  public record NotificationConfig(String providerUrl, Duration timeout, int maxAttempts, Duration backoffBase,
      Duration backoffCap, Duration parkFor, int breakerMaxFailures, Duration breakerReset, int mailboxPort,
      String mailboxHost) {
    public NotificationConfig {
      Validate.notBlank("notification.providerUrl", providerUrl);
      Validate.positive("notification.timeout", timeout);
      Validate.positive("notification.maxAttempts", maxAttempts);
      Validate.positive("notification.backoffBase", backoffBase);
      Validate.positive("notification.backoffCap", backoffCap);
      Validate.positive("notification.parkFor", parkFor);
      Validate.positive("notification.breakerMaxFailures", breakerMaxFailures);
      Validate.positive("notification.breakerReset", breakerReset);
      Validate.port("notification.mailboxPort", mailboxPort);
      Validate.notBlank("notification.mailboxHost", mailboxHost);
    }

    /** With the mailbox, if any, on {@link Defaults#MAILBOX_HOST}. */
    public NotificationConfig(String providerUrl, Duration timeout, int maxAttempts, Duration backoffBase,
        Duration backoffCap, Duration parkFor, int breakerMaxFailures, Duration breakerReset, int mailboxPort) {
      this(providerUrl, timeout, maxAttempts, backoffBase, backoffCap, parkFor, breakerMaxFailures, breakerReset,
          mailboxPort, Defaults.MAILBOX_HOST);
    }

    /** The defaults, delivering to a local mailbox on {@code mailboxPort} of this machine's loopback. */
    public static NotificationConfig localMailbox(int mailboxPort) {
      return localMailbox(Defaults.MAILBOX_HOST, mailboxPort);
    }

    /** The defaults, delivering to a local mailbox listening on {@code host} (a wildcard is reached on loopback). */
    public static NotificationConfig localMailbox(String host, int mailboxPort) {
      return new NotificationConfig("http://" + reachedAt(host) + ":" + mailboxPort + "/messages", Defaults.PROVIDER_TIMEOUT,
          Defaults.RETRY_ATTEMPTS, Defaults.RETRY_BASE, Defaults.RETRY_CAP, Defaults.NOTIFICATION_PARK_FOR,
          Defaults.BREAKER_MAX_FAILURES, Defaults.BREAKER_RESET, mailboxPort, host);
    }

    /** Where a client on this machine reaches a server listening on {@code host}, as a URL's host. */
    private static String reachedAt(String host) {
      if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
        return Defaults.MAILBOX_HOST;
      }
      return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
  }

  /** The gateway's HTTP listener. */
  public record HttpConfig(String host, int port, int bodyLimitBytes) {
    public HttpConfig {
      Validate.port("http.port", port);
      Validate.positive("http.bodyLimitBytes", bodyLimitBytes);
    }
  }

  /**
   * PostgreSQL: one URI for all services, optionally one per service ({@code services.order} and so on),
   * and the pool size each service gets. {@code socketDirectory}, when set, is where the server of
   * {@code uri} also listens on a Unix socket on this machine (the embedded one does): pools connect
   * there rather than over TCP loopback. Null means TCP.
   */
  public record PostgresConfig(String uri, Map<String, String> serviceUris, int poolSize, String socketDirectory) {
    public PostgresConfig {
      Validate.notBlank("postgres.uri", uri);
      Validate.positive("postgres.poolSize", poolSize);
      serviceUris = Map.copyOf(serviceUris);
    }

    public PostgresConfig(String uri, Map<String, String> serviceUris, int poolSize) {
      this(uri, serviceUris, poolSize, null);
    }

    public String uriFor(String service) {
      return serviceUris.getOrDefault(service, uri);
    }

    /** The socket directory for a service that uses {@code uri}; null for one with a URI of its own. */
    public String socketDirectoryFor(String service) {
      return serviceUris.containsKey(service) ? null : socketDirectory;
    }
  }

  /** Kafka: where it is, and how eagerly the producer sends. */
  public record KafkaConfig(String bootstrapServers, int lingerMs, int partitions) {
    public KafkaConfig {
      Validate.notBlank("kafka.bootstrapServers", bootstrapServers);
      Validate.notNegative("kafka.lingerMs", lingerMs);
      Validate.positive("kafka.partitions", partitions);
    }
  }

  /**
   * The saga deadline: an order still PENDING this long after placement is cancelled with TIMEOUT.
   * Idempotency keys of placed orders are remembered for {@code idempotencyKeyTtl}. A placement asks
   * the user service whether the customer exists, defended by {@code customerCheck}.
   */
  public record SagaConfig(Duration deadline, Duration idempotencyKeyTtl, ResiliencePolicy customerCheck) {
    public SagaConfig {
      Validate.positive("saga.deadline", deadline);
      Validate.positive("saga.idempotencyKeyTtl", idempotencyKeyTtl);
      Objects.requireNonNull(customerCheck, "saga.customerCheck");
    }

    public SagaConfig(Duration deadline, Duration idempotencyKeyTtl) {
      this(deadline, idempotencyKeyTtl, ResiliencePolicy.defaults(Defaults.CUSTOMER_CHECK_TIMEOUT));
    }

    public SagaConfig(Duration deadline) {
      this(deadline, Defaults.IDEMPOTENCY_KEY_TTL);
    }
  }

  /**
   * JWT: the HS256 secret (shared by every gateway node of a cluster; {@code ordermesh token} signs
   * with it), the lifetime of tokens we issue, and optionally keys of an external issuer whose RS256
   * tokens are accepted too: a PEM public key and/or a JWKS URL; then, when given, the {@code iss}
   * those tokens must carry and the audience their {@code aud} must name (null: not checked).
   */
  public record AuthConfig(String hs256Secret, Duration tokenTtl, String rs256PublicKeyPem, String jwksUrl,
      String externalIssuer, String externalAudience) {
    public AuthConfig {
      Validate.notBlank("auth.hs256Secret", hs256Secret);
      if (hs256Secret.getBytes(StandardCharsets.UTF_8).length < Defaults.MIN_HS256_SECRET_BYTES) {
        throw new IllegalArgumentException("auth.hs256Secret must be at least " + Defaults.MIN_HS256_SECRET_BYTES
            + " bytes (a shorter HS256 key can be guessed from any token it signed): generate one with"
            + " `openssl rand -base64 32`");
      }
      Validate.positive("auth.tokenTtl", tokenTtl);
      if (jwksUrl != null) {
        requireTrustedTransport(jwksUrl);
      }
      boolean external = rs256PublicKeyPem != null || jwksUrl != null;
      onlyForExternalTokens("auth.externalIssuer", externalIssuer, external);
      onlyForExternalTokens("auth.externalAudience", externalAudience, external);
    }

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /**
     * The keys at a JWKS URL decide whose tokens are admins': fetched over plain HTTP, anyone on the way
     * could serve their own. HTTP only to this host (an issuer's sidecar, a test).
     */
    private static void requireTrustedTransport(String jwksUrl) {
      URI uri;
      try {
        uri = URI.create(jwksUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("auth.jwksUrl is not a URL: " + jwksUrl);
      }
      boolean loopback = LOOPBACK_HOSTS.contains(String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT));
      if (!"https".equalsIgnoreCase(uri.getScheme()) && !("http".equalsIgnoreCase(uri.getScheme()) && loopback)) {
        throw new IllegalArgumentException("auth.jwksUrl must be https (keys fetched over plain http can be swapped"
            + " on the way), or http to this host only, but was " + jwksUrl);
      }
    }

    private static void onlyForExternalTokens(String name, String value, boolean external) {
      if (value == null) {
        return;
      }
      Validate.notBlank(name, value);
      if (!external) {
        throw new IllegalArgumentException(name + " applies to an external issuer's tokens: give its public key"
            + " or JWKS URL too");
      }
    }

    public AuthConfig(String hs256Secret, Duration tokenTtl, String rs256PublicKeyPem, String jwksUrl) {
      this(hs256Secret, tokenTtl, rs256PublicKeyPem, jwksUrl, null, null);
    }

    public AuthConfig(String hs256Secret, Duration tokenTtl) {
      this(hs256Secret, tokenTtl, null, null);
    }

    /** True when RS256 tokens of an external issuer are accepted. */
    public boolean acceptsExternalTokens() {
      return rs256PublicKeyPem != null || jwksUrl != null;
    }
  }

  /** Event-bus requests: how long a caller waits for a reply. Vert.x's own default (30 s) is far too long. */
  public record BusConfig(Duration requestTimeout) {
    public BusConfig {
      Validate.positive("bus.requestTimeout", requestTimeout);
    }
  }

  /** Outbox relay: the polling fallback behind the after-commit wake-up, and how many rows one publish batch takes. */
  public record OutboxConfig(Duration pollInterval, int batchSize, Duration lockRetryInterval) {
    public OutboxConfig {
      Validate.positive("outbox.pollInterval", pollInterval);
      Validate.positive("outbox.batchSize", batchSize);
      Validate.positive("outbox.lockRetryInterval", lockRetryInterval);
    }
  }

  /**
   * Idempotent consumers: poll timeout, how often a failing record is retried before it goes to the
   * DLQ, and how long inbox rows are kept (longer than any redelivery can take).
   */
  public record ConsumerConfig(Duration pollTimeout, int maxAttempts, Duration retryBackoff, Duration inboxRetention,
      Duration offsetCommitInterval) {
    public ConsumerConfig {
      Validate.positive("consumer.pollTimeout", pollTimeout);
      Validate.positive("consumer.maxAttempts", maxAttempts);
      Validate.positive("consumer.retryBackoff", retryBackoff);
      Validate.positive("consumer.inboxRetention", inboxRetention);
      Validate.positive("consumer.offsetCommitInterval", offsetCommitInterval);
    }

    public ConsumerConfig(Duration pollTimeout, int maxAttempts, Duration retryBackoff) {
      this(pollTimeout, maxAttempts, retryBackoff, Defaults.INBOX_RETENTION, Defaults.CONSUMER_OFFSET_COMMIT_INTERVAL);
    }

    public ConsumerConfig withOffsetCommitInterval(Duration interval) {
      return new ConsumerConfig(pollTimeout, maxAttempts, retryBackoff, inboxRetention, interval);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("nodeId", nodeId)
        .put("http", new JsonObject().put("host", http.host()).put("port", http.port())
            .put("bodyLimitBytes", http.bodyLimitBytes()))
        .put("postgres", new JsonObject().put("uri", postgres.uri())
            .put("serviceUris", new JsonObject(Map.copyOf(postgres.serviceUris())))
            .put("poolSize", postgres.poolSize()).put("socketDirectory", postgres.socketDirectory()))
        .put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers())
            .put("lingerMs", kafka.lingerMs()).put("partitions", kafka.partitions()))
        .put("saga", new JsonObject().put("deadlineMs", saga.deadline().toMillis())
            .put("idempotencyKeyTtlMs", saga.idempotencyKeyTtl().toMillis())
            .put("customerCheck", saga.customerCheck().toJson()))
        .put("auth", new JsonObject().put("hs256Secret", auth.hs256Secret())
            .put("tokenTtlMs", auth.tokenTtl().toMillis()).put("rs256PublicKeyPem", auth.rs256PublicKeyPem())
            .put("jwksUrl", auth.jwksUrl()).put("externalIssuer", auth.externalIssuer())
            .put("externalAudience", auth.externalAudience()))
        .put("bus", new JsonObject().put("requestTimeoutMs", bus.requestTimeout().toMillis()))
        .put("outbox", new JsonObject().put("pollIntervalMs", outbox.pollInterval().toMillis())
            .put("batchSize", outbox.batchSize()).put("lockRetryIntervalMs", outbox.lockRetryInterval().toMillis()))
        .put("consumer", new JsonObject().put("pollTimeoutMs", consumer.pollTimeout().toMillis())
            .put("maxAttempts", consumer.maxAttempts()).put("retryBackoffMs", consumer.retryBackoff().toMillis())
            .put("inboxRetentionMs", consumer.inboxRetention().toMillis())
            .put("offsetCommitIntervalMs", consumer.offsetCommitInterval().toMillis()))
        .put("notification", new JsonObject().put("providerUrl", notification.providerUrl())
            .put("timeoutMs", notification.timeout().toMillis()).put("maxAttempts", notification.maxAttempts())
            .put("backoffBaseMs", notification.backoffBase().toMillis())
            .put("backoffCapMs", notification.backoffCap().toMillis())
            .put("parkForMs", notification.parkFor().toMillis())
            .put("breakerMaxFailures", notification.breakerMaxFailures())
            .put("breakerResetMs", notification.breakerReset().toMillis())
            .put("mailboxPort", notification.mailboxPort())
            .put("mailboxHost", notification.mailboxHost()))
        .put("gateway", new JsonObject().put("rateLimitPerSecond", gateway.rateLimitPerSecond())
            .put("rateLimitBurst", gateway.rateLimitBurst())
            .put("rateLimitShareIntervalMs", gateway.rateLimitShareInterval().toMillis())
            .put("services", gateway.services().toJson())
            .put("overrides", overridesJson(gateway.overrides())));
  }

  public static OrdermeshConfig fromJson(JsonObject json) {
    JsonObject http = json.getJsonObject("http");
    JsonObject pg = json.getJsonObject("postgres");
    JsonObject kafka = json.getJsonObject("kafka");
    JsonObject outbox = json.getJsonObject("outbox");
    JsonObject consumer = json.getJsonObject("consumer");
    JsonObject notification = json.getJsonObject("notification");
    Map<String, String> serviceUris = new java.util.HashMap<>();
    pg.getJsonObject("serviceUris", new JsonObject()).forEach(e -> serviceUris.put(e.getKey(), (String) e.getValue()));
    return new OrdermeshConfig(
        json.getString("nodeId"),
        new HttpConfig(http.getString("host"), http.getInteger("port"), http.getInteger("bodyLimitBytes")),
        new PostgresConfig(pg.getString("uri"), serviceUris, pg.getInteger("poolSize"), pg.getString("socketDirectory")),
        new KafkaConfig(kafka.getString("bootstrapServers"), kafka.getInteger("lingerMs"), kafka.getInteger("partitions")),
        new SagaConfig(millis(json.getJsonObject("saga"), "deadlineMs"),
            millis(json.getJsonObject("saga"), "idempotencyKeyTtlMs"),
            customerCheckFrom(json.getJsonObject("saga"))),
        authFrom(json.getJsonObject("auth")),
        new BusConfig(millis(json.getJsonObject("bus"), "requestTimeoutMs")),
        new OutboxConfig(millis(outbox, "pollIntervalMs"), outbox.getInteger("batchSize"),
            millis(outbox, "lockRetryIntervalMs")),
        new ConsumerConfig(millis(consumer, "pollTimeoutMs"), consumer.getInteger("maxAttempts"),
            millis(consumer, "retryBackoffMs"), millis(consumer, "inboxRetentionMs"),
            millis(consumer, "offsetCommitIntervalMs")),
        new NotificationConfig(notification.getString("providerUrl"), millis(notification, "timeoutMs"),
            notification.getInteger("maxAttempts"), millis(notification, "backoffBaseMs"),
            millis(notification, "backoffCapMs"), millis(notification, "parkForMs"),
            notification.getInteger("breakerMaxFailures"), millis(notification, "breakerResetMs"),
            notification.getInteger("mailboxPort"), notification.getString("mailboxHost", Defaults.MAILBOX_HOST)),
        new GatewayConfig(json.getJsonObject("gateway").getInteger("rateLimitPerSecond"),
            json.getJsonObject("gateway").getInteger("rateLimitBurst"),
            millis(json.getJsonObject("gateway"), "rateLimitShareIntervalMs"),
            ResiliencePolicy.fromJson(json.getJsonObject("gateway").getJsonObject("services")),
            overridesFrom(json.getJsonObject("gateway").getJsonObject("overrides", new JsonObject()))));
  }

  /** A config written before the customer check had a policy of its own has the default one. */
  private static ResiliencePolicy customerCheckFrom(JsonObject saga) {
    JsonObject policy = saga.getJsonObject("customerCheck");
    return policy == null ? ResiliencePolicy.defaults(Defaults.CUSTOMER_CHECK_TIMEOUT) : ResiliencePolicy.fromJson(policy);
  }

  private static JsonObject overridesJson(Map<String, ResiliencePolicy> overrides) {
    JsonObject json = new JsonObject();
    overrides.forEach((service, policy) -> json.put(service, policy.toJson()));
    return json;
  }

  private static Map<String, ResiliencePolicy> overridesFrom(JsonObject json) {
    Map<String, ResiliencePolicy> overrides = new java.util.HashMap<>();
    json.forEach(e -> overrides.put(e.getKey(), ResiliencePolicy.fromJson((JsonObject) e.getValue())));
    return overrides;
  }

  private static AuthConfig authFrom(JsonObject auth) {
    return new AuthConfig(auth.getString("hs256Secret"), millis(auth, "tokenTtlMs"), auth.getString("rs256PublicKeyPem"),
        auth.getString("jwksUrl"), auth.getString("externalIssuer"), auth.getString("externalAudience"));
  }

  private static Duration millis(JsonObject json, String key) {
    return Duration.ofMillis(json.getLong(key));
  }
}
