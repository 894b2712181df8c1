package io.ordermesh.launcher.cli;

import io.ordermesh.gateway.JwtTokens;
import io.ordermesh.launcher.AotTraining;
import io.ordermesh.launcher.DemoSeed;
import io.ordermesh.launcher.EmbeddedInfra;
import io.ordermesh.launcher.Home;
import io.ordermesh.launcher.NodeName;
import io.ordermesh.launcher.KafkaTopics;
import io.ordermesh.events.Topics;
import io.ordermesh.launcher.node.ClusterSettings;
import io.ordermesh.launcher.node.NodeSettings;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.faults.Fault;
import io.ordermesh.platform.faults.FaultInjection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ordermesh run}: the whole system, or the services named, on this node. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run Ordermesh. With no --pg/--kafka it starts embedded PostgreSQL and Kafka under --home.",
    footer = {"", "Every option is also an environment variable (--http-port: ORDERMESH_HTTP_PORT)",
        "and a key of ordermesh.properties, or of the file ORDERMESH_CONFIG names",
        "(http-port=8080). The command line wins, then the environment, then the file."})
public final class RunCommand implements java.util.concurrent.Callable<Integer> {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  /** How long a stop waits for an AOT cache still being assembled (about ten seconds on two cores). */
  private static final Duration AOT_ASSEMBLY_TIMEOUT = Duration.ofSeconds(60);
  /** What is left of --ready-timeout once the node has started, at least: a readiness check takes a moment. */
  private static final Duration MIN_READY_WAIT = Duration.ofSeconds(1);

  @Mixin
  HomeOption homeOption;

  @Option(names = "--http-port", defaultValue = "" + Defaults.HTTP_PORT, paramLabel = "N",
      description = "Gateway HTTP port; 0 picks a free one. Default: ${DEFAULT-VALUE}")
  int httpPort;

  @Option(names = "--gateway-instances", paramLabel = "N",
      description = "Gateway instances (event loops serving HTTP), sharing the port. Default: one per core")
  Integer gatewayInstances;

  @Option(names = "--pg", paramLabel = "URL",
      description = "External PostgreSQL, e.g. postgres://user:pass@host:5432/db. Default: embedded")
  String pg;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "External Kafka bootstrap servers. Default: embedded")
  String kafka;

  @Option(names = "--pg-service", paramLabel = "SERVICE=URL", split = ",",
      description = "A database of its own for one service (user, order, inventory, notification), e.g."
          + " order=postgres://u:p@orders-db:5432/orders. Repeatable. Default: every service uses --pg")
  Map<String, String> serviceDatabases = new LinkedHashMap<>();

  @Option(names = "--policy", paramLabel = "EDGE.SETTING=VALUE", split = ",",
      description = "How one synchronous edge is defended, over the defaults, e.g. gateway.inventory.timeoutMs=250"
          + " or order.user.maxConcurrent=64. Edges: gateway, gateway.order|user|inventory|notification, order.user,"
          + " notification.provider. Repeatable. See docs/resilience.md")
  Map<String, String> policy = new LinkedHashMap<>();

  @Option(names = "--pg-port", defaultValue = "" + Defaults.EMBEDDED_PG_PORT, paramLabel = "N",
      description = "Port of the embedded PostgreSQL. Default: ${DEFAULT-VALUE}")
  int pgPort;

  @Option(names = "--kafka-port", defaultValue = "" + Defaults.EMBEDDED_KAFKA_PORT, paramLabel = "N",
      description = "Port of the embedded Kafka broker (its controller takes the next one). Default: ${DEFAULT-VALUE}")
  int kafkaPort;

  @Option(names = "--services", defaultValue = "all", paramLabel = "LIST",
      description = "What this node deploys: all, or some of user,inventory,order,notification,gateway. Default: ${DEFAULT-VALUE}")
  String services;

  @Option(names = "--saga-deadline", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "A PENDING order older than this is cancelled with reason TIMEOUT. Default: ${DEFAULT-VALUE}")
  Duration sagaDeadline;

  @Option(names = "--idempotency-key-ttl", defaultValue = "24h", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "How long an Idempotency-Key is remembered. Default: ${DEFAULT-VALUE}")
  Duration idempotencyKeyTtl;

  @Option(names = "--jwt-secret", paramLabel = "SECRET",
      description = "HS256 key shared by every gateway of a cluster. Default: generated under --home")
  String jwtSecret;

  @Option(names = "--jwt-public-key", paramLabel = "PEM_FILE",
      description = "Also accept RS256 tokens signed by this key's private half (an external issuer).")
  Path jwtPublicKey;

  @Option(names = "--jwks-url", paramLabel = "URL",
      description = "Also accept RS256 tokens signed by a key this JWKS URL serves (read at start-up).")
  String jwksUrl;

  @Option(names = "--jwt-issuer", paramLabel = "ISS",
      description = "The iss an external issuer's RS256 tokens must carry. Default: not checked")
  String jwtIssuer;

  @Option(names = "--jwt-audience", paramLabel = "AUD",
      description = "The audience an external issuer's RS256 tokens must name in aud. Default: not checked")
  String jwtAudience;

  @Option(names = "--fault", paramLabel = "SERVICE:MODE:DURATION[:DELAY]",
      description = "Inject a fault at start-up, e.g. inventory:silent:60s or inventory:slow:5m:800ms. Repeatable.")
  List<String> faults = List.of();

  @Option(names = "--node-id", paramLabel = "ID", description = "Name of this node in logs and client ids. Default: host-pid")
  String nodeId;

  // fallbackValue: without it picocli gives a negatable flag the opposite of the configured default, so
  // ORDERMESH_SEED=true would turn --no-seed into true.
  @Option(names = "--seed", negatable = true, fallbackValue = "true",
      description = "Seed the demo customers and products on first start. Default: on with embedded or"
          + " loopback PostgreSQL, or with --seed-file/--seed-customers; off against a remote --pg")
  Boolean seed;

  @Option(names = "--notification-url", paramLabel = "URL",
      description = "Webhook that receives order notifications. Default: the built-in mailbox")
  String notificationUrl;

  @Option(names = "--mailbox-port", defaultValue = "" + Defaults.MAILBOX_PORT, paramLabel = "N",
      description = "Port of the built-in mailbox (when no --notification-url). Default: ${DEFAULT-VALUE}")
  int mailboxPort;

  @Option(names = "--mailbox-host", defaultValue = Defaults.MAILBOX_HOST, paramLabel = "ADDRESS",
      description = "Address the built-in mailbox listens on (0.0.0.0: every interface; it shows every"
          + " notification to whoever asks). Default: ${DEFAULT-VALUE}")
  String mailboxHost;

  @Option(names = "--rate-limit", defaultValue = "" + Defaults.RATE_LIMIT_PER_SECOND, paramLabel = "N",
      description = "Requests per second per principal at the gateway (bursts up to twice that; 0 = off). Default: ${DEFAULT-VALUE}")
  int rateLimit;

  @Option(names = "--management-port", defaultValue = "0", paramLabel = "N",
      description = "Serve /metrics, /health/live and /health/ready (this node's own readiness) on this port, gateway or not (0 = off). Default: ${DEFAULT-VALUE}")
  int managementPort;

  @Option(names = "--sniff-redact", defaultValue = "password,token,secret,email,hs256Secret,authorization",
      paramLabel = "FIELDS", description = "JSON fields the event-bus sniffer never shows: any whose name contains one of these, in any case. Default: ${DEFAULT-VALUE}")
  String sniffRedact;

  @Option(names = "--seed-customers", defaultValue = "0", paramLabel = "N",
      description = "Also seed customers load-1..load-N with 1000000.00 credit each, for load tests. Default: ${DEFAULT-VALUE}")
  int seedCustomers;

  @Option(names = "--seed-stock", defaultValue = "1000", paramLabel = "N",
      description = "Initial stock of SKU-1, SKU-2 and SKU-3 on first start. Default: ${DEFAULT-VALUE}")
  int seedStock;

  @Option(names = "--seed-file", paramLabel = "FILE",
      description = "Seed these customers and products (JSON like the demo seed) instead of the demo world.")
  Path seedFile;

  @Option(names = "--ready-timeout", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long to wait for every service to report ready. Default: ${DEFAULT-VALUE}")
  Duration readyTimeout;

  @Mixin
  ClusterOptions cluster;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    // What a user can get wrong is refused before the embedded servers start, not after.
    Set<Service> deployed = Service.parse(services);
    Map<String, String> ownDatabases = serviceDatabases();
    PolicyOverrides policies = PolicyOverrides.parse(policy);
    Optional<ClusterSettings> clustered = cluster.settings();
    JsonObject seed = seed();
    Set<String> redacted = redactedFields();
    Home home = homeOption.home().create();
    // Registered before anything starts: a stop during the start stops what has started, in order.
    RunShutdown shutdown = RunShutdown.register(readyTimeout, STOP_TIMEOUT, AOT_ASSEMBLY_TIMEOUT);
    try {
      startAndAnnounce(home, new NodeSettingsParts(deployed, ownDatabases, policies, clustered, seed, redacted),
          shutdown, started);
    } catch (Exception e) {
      if (shutdown.signalled()) {
        // The start broke because the node is being stopped: that stop is the outcome, not this error.
        shutdown.awaitStopped();
        return 0;
      }
      // Stopped here, in the same order, before Main writes out the logs and exits.
      shutdown.startFailed(e);
      shutdown.stopNow();
      throw e;
    }
    shutdown.awaitStopped();
    return 0;
  }

  /** What the node's settings take from the command line, checked before anything started. */
  private record NodeSettingsParts(Set<Service> deployed, Map<String, String> ownDatabases, PolicyOverrides policies,
      Optional<ClusterSettings> clustered, JsonObject seed, Set<String> redacted) {
  }

  /** {@code --pg-service}, by service name; a name that is not a service's is refused before anything starts. */
  Map<String, String> serviceDatabases() {
    for (String service : serviceDatabases.keySet()) {
      boolean known = Service.all().stream().anyMatch(s -> s != Service.GATEWAY && s.cliName().equals(service));
      if (!known) {
        throw new IllegalArgumentException("--pg-service names unknown service '" + service
            + "'; known: user, order, inventory, notification");
      }
    }
    return Map.copyOf(serviceDatabases);
  }

  private void startAndAnnounce(Home home, NodeSettingsParts parts, RunShutdown shutdown, long started)
      throws Exception {
    EmbeddedInfra infra = EmbeddedInfra.start(home, new EmbeddedInfra.Ports(pgPort, kafkaPort, kafkaPort + 1),
        pg == null, kafka == null, Defaults.KAFKA_PARTITIONS);
    // The node drains first, then the embedded servers stop (RunShutdown); not all at once.
    shutdown.infraStarted(infra);
    long nodeStarting = System.nanoTime();
    String pgUri = Optional.ofNullable(pg).orElseGet(() -> infra.postgresUri().orElseThrow());
    String bootstrap = Optional.ofNullable(kafka).orElseGet(() -> infra.kafkaBootstrap().orElseThrow());
    OrdermeshConfig config = config(home, new OrdermeshConfig.PostgresConfig(pgUri, parts.ownDatabases(),
        Defaults.PG_POOL_SIZE, infra.postgresSocketDirectory().orElse(null)), bootstrap, parts.policies());
    NodeSettings settings = new NodeSettings(config, parts.deployed(), parts.clustered(), parts.seed(),
        managementPort, parts.redacted(), gatewayInstances == null ? Defaults.GATEWAY_INSTANCES : gatewayInstances);
    CompletableFuture<Void> topics = topicsChecked(bootstrap);
    Future<OrdermeshNode> start = OrdermeshNode.start(settings, topics);
    shutdown.nodeStarting(start);
    OrdermeshNode node;
    try {
      node = await(start.toCompletionStage().toCompletableFuture(), readyTimeout);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the node did not start within " + readyTimeout.toSeconds() + " s (--ready-timeout)"
          + (topics.isDone() ? "" : ": Kafka at " + bootstrap + " has not answered yet"), e);
    }
    // --ready-timeout bounds the whole wait, the node's start included, not each half of it.
    Duration left = readyTimeout.minus(Duration.ofNanos(System.nanoTime() - nodeStarting));
    Duration readyWait = left.compareTo(MIN_READY_WAIT) < 0 ? MIN_READY_WAIT : left;
    await(node.awaitReady(readyWait).toCompletionStage().toCompletableFuture(), readyWait.plusSeconds(5));
    injectFaults(node);
    if (!shutdown.signalled()) {
      printBanner(node, config, infra, Duration.ofNanos(System.nanoTime() - started));
      AotTraining.endRecordingNow();
    }
  }

  /**
   * Embedded Kafka makes the topics itself; an external one gets them checked (and made) on a thread of
   * its own while Vert.x starts: the admin client's first request is a fifth of a second of a cold JVM.
   */
  private CompletableFuture<Void> topicsChecked(String bootstrap) {
    CompletableFuture<Void> checked = new CompletableFuture<>();
    if (kafka == null) {
      checked.complete(null);
      return checked;
    }
    Thread checker = new Thread(() -> {
      try {
        KafkaTopics.ensure(bootstrap, Topics.all(), Defaults.KAFKA_PARTITIONS);
        checked.complete(null);
      } catch (RuntimeException e) {
        checked.completeExceptionally(e);
      }
    }, "ordermesh-topics");
    checker.setDaemon(true);
    checker.start();
    return checked;
  }

  private void injectFaults(OrdermeshNode node) throws Exception {
    FaultInjection injection = FaultInjection.client(node.vertx());
    DurationConverter durations = new DurationConverter();
    for (String spec : faults) {
      String[] parts = spec.split(":");
      if (parts.length < 3 || parts.length > 4) {
        throw new IllegalArgumentException("--fault takes SERVICE:MODE:DURATION[:DELAY], but was " + spec);
      }
      Duration delay = parts.length == 4 ? durations.convert(parts[3]) : Duration.ZERO;
      Fault fault = await(injection.add(parts[0], Fault.Mode.parse(parts[1]), delay, durations.convert(parts[2]))
          .toCompletionStage().toCompletableFuture(), readyTimeout);
      out.printf("  fault      %s %s until %s (id %s)%n", fault.service(), parts[1], fault.toJson().getString("until"),
          fault.id());
    }
  }

  /** The sniffer's redacted field names, trimmed ({@code "password, token"} names two). */
  private Set<String> redactedFields() {
    return Arrays.stream(sniffRedact.split(",")).map(String::trim).filter(name -> !name.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private JsonObject seed() throws java.io.IOException {
    if (!seeding()) {
      return new JsonObject();
    }
    return seedFile == null ? DemoSeed.json(seedCustomers, seedStock) : new JsonObject(Files.readString(seedFile));
  }

  /**
   * Whether this run seeds: as told, else when the database is this machine's own (embedded, or on a
   * loopback address as {@code ordermesh infra} serves it) or a seed was asked for by name. A remote
   * database is someone's real one: nothing is written into it unasked ([decision 16]).
   */
  boolean seeding() {
    if (seed != null) {
      return seed;
    }
    boolean ownDatabasesLocal = serviceDatabases.values().stream().allMatch(LocalDatabase::isLoopback);
    return ownDatabasesLocal && (pg == null || LocalDatabase.isLoopback(pg)) || seedFile != null || seedCustomers > 0;
  }

  /** The banner's token is for the demo customer: only where this run seeds the demo world. */
  boolean printsDemoToken() {
    return seeding() && seedFile == null;
  }

  private OrdermeshConfig config(Home home, OrdermeshConfig.PostgresConfig postgres, String bootstrap,
      PolicyOverrides policies) throws java.io.IOException {
    String secret = jwtSecret != null ? jwtSecret : home.jwtSecret();
    String id = nodeId != null ? nodeId : NodeName.fallback();
    return new OrdermeshConfig(
        id,
        new OrdermeshConfig.HttpConfig(Defaults.HTTP_HOST, httpPort, Defaults.HTTP_BODY_LIMIT_BYTES),
        postgres,
        new OrdermeshConfig.KafkaConfig(bootstrap, Defaults.KAFKA_LINGER_MS, Defaults.KAFKA_PARTITIONS),
        policies.applyTo(new OrdermeshConfig.SagaConfig(sagaDeadline, idempotencyKeyTtl)),
        new OrdermeshConfig.AuthConfig(secret, Defaults.TOKEN_TTL,
            jwtPublicKey == null ? null : Files.readString(jwtPublicKey), jwksUrl, jwtIssuer, jwtAudience),
        new OrdermeshConfig.BusConfig(Defaults.BUS_REQUEST_TIMEOUT),
        new OrdermeshConfig.OutboxConfig(Defaults.OUTBOX_POLL_INTERVAL, Defaults.OUTBOX_BATCH_SIZE,
            Defaults.OUTBOX_LOCK_RETRY_INTERVAL),
        new OrdermeshConfig.ConsumerConfig(Defaults.CONSUMER_POLL_TIMEOUT, Defaults.CONSUMER_MAX_ATTEMPTS,
            Defaults.CONSUMER_RETRY_BACKOFF),
        policies.applyTo(notification()),
        policies.applyTo(OrdermeshConfig.GatewayConfig.defaults(rateLimit)));
  }

  /** A webhook given by --notification-url, else the built-in mailbox on --mailbox-host and --mailbox-port. */
  private OrdermeshConfig.NotificationConfig notification() {
    OrdermeshConfig.NotificationConfig local =
        OrdermeshConfig.NotificationConfig.localMailbox(mailboxHost.trim(), mailboxPort);
    if (notificationUrl == null) {
      return local;
    }
    return new OrdermeshConfig.NotificationConfig(notificationUrl, local.timeout(), local.maxAttempts(),
        local.backoffBase(), local.backoffCap(), local.parkFor(), local.breakerMaxFailures(), local.breakerReset(), 0);
  }

  private void printBanner(OrdermeshNode node, OrdermeshConfig config, EmbeddedInfra infra, Duration startup) {
    out.printf("%nOrdermesh is ready on node %s in %.1f s%n", config.nodeId(), startup.toMillis() / 1000.0);
    if (node.httpPort() > 0) {
      out.printf("  gateway    http://localhost:%d%n", node.httpPort());
    }
    out.printf("  postgres   %s%n", redact(config.postgres().uri()));
    config.postgres().serviceUris().forEach((service, uri) -> out.printf("    %-8s %s%n", service, redact(uri)));
    out.printf("  kafka      %s%n", config.kafka().bootstrapServers());
    if (config.notification().mailboxPort() > 0 && node.settings().services().contains(Service.NOTIFICATION)) {
      out.printf("  mailbox    %s%n", config.notification().providerUrl().replace("/messages", "/"));
    }
    out.printf("  services   %s%n", Arrays.toString(node.settings().services().stream().map(Service::cliName).sorted().toArray()));
    if (node.httpPort() > 0 && !printsDemoToken()) {
      out.printf("  tokens     ./ordermesh token --sub CUSTOMER [--role admin] (same --home or --jwt-secret)%n");
    }
    if (node.httpPort() > 0 && printsDemoToken()) {
      Vertx vertx = node.vertx();
      String token = JwtTokens.issue(vertx, config.auth(), DemoSeed.RICH_CUSTOMER, List.of());
      out.printf("  token      %s (customer %s)%n", token, DemoSeed.RICH_CUSTOMER);
      out.printf("%nTry:%n  export TOKEN=%s%n  curl -H \"Authorization: Bearer $TOKEN\" http://localhost:%d/api/v1/products%n",
          token, node.httpPort());
    }
    out.printf("Press Ctrl-C to stop.%n");
    out.flush();
  }

  private static String redact(String uri) {
    return uri.replaceAll("://([^:/@]+):[^@]*@", "://$1:***@");
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout) throws Exception {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
