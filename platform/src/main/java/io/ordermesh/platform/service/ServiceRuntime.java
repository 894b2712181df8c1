package io.ordermesh.platform.service;

import io.micrometer.core.instrument.Counter;
import io.ordermesh.events.EventType;
import io.ordermesh.platform.bus.BusHeaders;
import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Deadlines;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.bus.Replies;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.inbox.ConflictKeys;
import io.ordermesh.platform.inbox.DeadLetterReplay;
import io.ordermesh.platform.inbox.DeadLetters;
import io.ordermesh.platform.inbox.EventHandler;
import io.ordermesh.platform.inbox.IdempotentConsumer;
import io.ordermesh.platform.inbox.LockAhead;
import io.ordermesh.platform.kafka.KafkaClients;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.logging.ThrottledWarning;
import io.ordermesh.platform.metrics.Metrics;
import io.ordermesh.platform.outbox.OutboxRelay;
import io.ordermesh.platform.timeline.Timeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What every service verticle stands on: its own database (pool, schema, migrations), an idempotent
 * Kafka producer, the outbox relay of its schema, its idempotent consumers, and a health address.
 * A verticle builds one in {@code start()} and stops it in {@code stop()}.
 */
public final class ServiceRuntime {

  private static final int DEFAULT_REPLAY_MAX = 1_000;
  /** A leaving service answers what still reaches it for at most this long. */
  private static final java.time.Duration DRAIN_TIMEOUT = java.time.Duration.ofSeconds(5);
  private static final long DRAIN_POLL_MS = 20;
  /**
   * How long each later step of a leave (the relay, the producer, the pool) may take before the leave
   * goes on without it and names it: a step that never completes would otherwise hold the node's stop
   * for ever (seen once in a test: a service's leave never ended, cause not found; this bounds it and
   * says which step it was).
   */
  private static final java.time.Duration LEAVE_STEP_TIMEOUT = java.time.Duration.ofSeconds(10);
  /**
   * After withdrawing its addresses from the cluster, a leaving service keeps answering at least this long
   * (other nodes hear of the withdrawal within milliseconds, more under load)...
   */
  private static final java.time.Duration LEAVE_GRACE = java.time.Duration.ofSeconds(1);
  /** ...and until no request has reached it for this long, for the nodes that heard late. */
  private static final java.time.Duration LEAVE_QUIET = java.time.Duration.ofMillis(750);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServiceRuntime.class);

  private final Vertx vertx;
  private final OrdermeshConfig config;
  private final ServiceSpec spec;
  private final Database db;
  /**
   * One Kafka producer per node, shared by its services (Vert.x counts the references and closes it
   * with the last): the relays' records for different topics leave in the same produce requests and
   * one sender thread serves them all. Each service writes only its own topic, so sharing changes no
   * order, and the producer is idempotent whoever sends through it.
   */
  private final KafkaProducer<String, String> producer;
  private final OutboxRelay relay;
  private final List<IdempotentConsumer> consumers = new ArrayList<>();
  /** Every address this service answers on, health and operations included. */
  private final List<MessageConsumer<JsonObject>> endpoints = new ArrayList<>();
  private final ClusterView cluster;
  private int requestsInFlight;
  private long lastRequestAt;
  /** Requests that arrived after the addresses were withdrawn (while leaving), for the leave log. */
  private long withdrawnAt = Long.MAX_VALUE;
  private int stragglers;
  private long purgeTimer = -1;
  private final Counter lateRequests;
  /** Under overload every request can arrive late: a line each would add to the load and bury the cause. */
  private final ThrottledWarning lateRequestLog = new ThrottledWarning(LOG, Defaults.REPEATED_WARNING_INTERVAL);

  private ServiceRuntime(Vertx vertx, OrdermeshConfig config, ServiceSpec spec) {
    this.vertx = vertx;
    this.config = config;
    this.spec = spec;
    this.db = Database.connect(vertx, config.postgres().uriFor(spec.name()),
        config.postgres().socketDirectoryFor(spec.name()), spec.schema(), config.postgres().poolSize());
    this.producer = KafkaProducer.<String, String>createShared(vertx, "ordermesh-" + config.nodeId(),
            KafkaClients.producer(config.kafka(), "ordermesh-" + config.nodeId()))
        // Each send's failure reaches its caller's future, which handles it; without a handler Vert.x
        // would log every one again as an unhandled exception, without its correlation id.
        .exceptionHandler(error -> LOG.debug("a Kafka send failed (its caller handles it): {}", error.toString()));
    this.relay = new OutboxRelay(vertx, db, producer, config.outbox());
    this.cluster = ClusterView.of(vertx);
    this.lateRequests = Counter.builder("ordermesh.bus.requests.late").tag("service", spec.name())
        .description("Requests that arrived long after their caller stopped waiting, left undone")
        .register(Metrics.registry());
  }

  /** Migrates the schema, starts the relay and registers the health address. */
  public static Future<ServiceRuntime> start(Vertx vertx, OrdermeshConfig config, ServiceSpec spec) {
    ServiceRuntime runtime = new ServiceRuntime(vertx, config, spec);
    return runtime.db.migrate(spec.migrations())
        .onSuccess(outcome -> LOG.info("{} schema {}: {}", spec.name(), spec.schema(), outcome.description()))
        .compose(v -> runtime.relay.start())
        .compose(v -> runtime.registerHealth())
        .compose(v -> runtime.registerDeadLetterReplay())
        .compose(v -> runtime.registerTimeline())
        .onSuccess(v -> runtime.schedulePurge())
        .map(runtime);
  }

  public Database db() {
    return db;
  }

  public OrdermeshConfig config() {
    return config;
  }

  public ServiceSpec spec() {
    return spec;
  }

  /**
   * Serves a request/reply address of this service, with typed failure codes; requests in flight are
   * counted so that a stopping service can let them finish after it stopped taking new ones. The
   * operation's result is the reply's body: a {@link JsonObject}, or another type the event bus carries.
   */
  public Future<Void> serve(String address, Function<Message<JsonObject>, Future<?>> operation) {
    return serve(address, operation, true);
  }

  /** As {@link #serve(String, Function)}, for an operation only an admin may ask for ({@link Caller#requireAdmin}). */
  public Future<Void> serveAdmin(String address, Function<Message<JsonObject>, Future<?>> operation) {
    return serve(address, m -> {
      Caller.requireAdmin(m);
      return operation.apply(m);
    }, true);
  }

  /**
   * @param work whether a request here is work a leaving service waits for; health probes are not
   *     (frequent probes would otherwise keep every leave waiting until its deadline)
   */
  private Future<Void> serve(String address, Function<Message<JsonObject>, Future<?>> operation,
      boolean work) {
    MessageConsumer<JsonObject> endpoint = vertx.eventBus().consumer(address, request -> {
      if (work && arrivedLongAfterItsDeadline(request)) {
        return;
      }
      requestsInFlight++;
      if (work) {
        lastRequestAt = System.nanoTime();
        if (lastRequestAt > withdrawnAt) {
          stragglers++;
        }
      }
      Replies.answer(request, m -> {
        Future<?> outcome;
        try {
          outcome = operation.apply(m);
        } catch (RuntimeException e) {
          outcome = Future.failedFuture(e);
        }
        return outcome.andThen(ar -> requestsInFlight--);
      });
    });
    endpoints.add(endpoint);
    return endpoint.completion();
  }

  /** Starts a consumer group named after the service (and {@code suffix}) that applies each poll in order. */
  public Future<IdempotentConsumer> consume(String suffix, Map<EventType, EventHandler> handlers) {
    return consume(suffix, handlers, ConflictKeys.ONE_LANE);
  }

  /**
   * Starts a consumer group named after the service (and {@code suffix}) for the given handlers; records
   * whose {@code conflictKeys} do not overlap are applied side by side.
   */
  public Future<IdempotentConsumer> consume(String suffix, Map<EventType, EventHandler> handlers,
      ConflictKeys conflictKeys) {
    return consume(suffix, handlers, conflictKeys, LockAhead.NONE);
  }

  /**
   * As {@link #consume(String, Map, ConflictKeys)}, for handlers that write rows other nodes' consumers
   * of the group write too: {@code lockAhead} takes them in one order before any handler runs.
   */
  public Future<IdempotentConsumer> consume(String suffix, Map<EventType, EventHandler> handlers,
      ConflictKeys conflictKeys, LockAhead lockAhead) {
    String name = spec.name() + (suffix.isEmpty() ? "" : "-" + suffix);
    KafkaConsumer<String, String> kafka = KafkaConsumer.create(vertx,
        KafkaClients.consumer(config.kafka(), "ordermesh-" + name, name + "-" + config.nodeId()));
    IdempotentConsumer consumer = new IdempotentConsumer(vertx, db, name, kafka, handlers, conflictKeys, lockAhead,
        new DeadLetters(producer), config.consumer(), IdempotentConsumer.OffsetCommitGate.OPEN);
    consumers.add(consumer);
    return consumer.start().map(consumer);
  }

  /**
   * Healthy = the database answers, every consumer has its partitions, and the cluster's subscription
   * map lists this instance for every address it serves (so other nodes can reach it).
   */
  public Future<JsonObject> health() {
    boolean consuming = consumers.stream().allMatch(IdempotentConsumer::isConsuming);
    long duplicates = consumers.stream().mapToLong(IdempotentConsumer::duplicatesSkipped).sum();
    long processed = consumers.stream().mapToLong(IdempotentConsumer::eventsProcessed).sum();
    Future<Boolean> dbUp = db.pool().query("SELECT 1").execute()
        .map(rows -> true)
        .recover(error -> Future.succeededFuture(false));
    Future<List<String>> unregistered = cluster.unregistered(addresses())
        .recover(error -> Future.succeededFuture(addresses()));
    return Future.all(dbUp, unregistered).map(all -> new JsonObject()
        .put("service", spec.name())
        .put("node", config.nodeId())
        .put("postgres", dbUp.result())
        .put("consuming", consuming)
        .put("registered", unregistered.result().isEmpty())
        .put("unregistered", new io.vertx.core.json.JsonArray(unregistered.result()))
        .put("outboxRelayActive", relay.isLeader())
        .put("eventsProcessed", processed)
        .put("duplicatesSkipped", duplicates)
        .put("up", dbUp.result() && consuming && unregistered.result().isEmpty()));
  }

  private List<String> addresses() {
    return endpoints.stream().map(MessageConsumer::address).toList();
  }

  /**
   * Answers what still arrives after the addresses were withdrawn from the cluster: at least
   * {@link #LEAVE_GRACE}, then until nothing is in flight and nothing arrived for {@link #LEAVE_QUIET}
   * (senders that heard of the withdrawal late), at most until {@code deadline}.
   */
  private Future<Void> answerStragglers(long withdrawnAt, long deadline) {
    long now = System.nanoTime();
    boolean graceOver = now - withdrawnAt >= LEAVE_GRACE.toNanos();
    boolean quiet = now - Math.max(lastRequestAt, withdrawnAt) >= LEAVE_QUIET.toNanos();
    if ((graceOver && quiet && requestsInFlight <= 0) || now > deadline) {
      return Future.succeededFuture();
    }
    return vertx.timer(DRAIN_POLL_MS).compose(v -> answerStragglers(withdrawnAt, deadline));
  }

  /**
   * A request that arrives more than {@link Defaults#BUS_DEADLINE_ALLOWANCE} after its caller stopped
   * waiting is answered (nobody listens) and left undone: its caller told its client 504 long ago. The
   * allowance covers the clocks of two hosts disagreeing, so only a request that truly waited (in a frozen
   * node, in a queue) is left.
   */
  private boolean arrivedLongAfterItsDeadline(Message<JsonObject> request) {
    long late = Deadlines.msLate(request.headers(), System.currentTimeMillis());
    if (late <= Defaults.BUS_DEADLINE_ALLOWANCE.toMillis()) {
      return false;
    }
    lateRequests.increment();
    lateRequestLog.warn(LogContext.of(spec.name(), request.headers().get(BusHeaders.CORRELATION_ID)),
        "{} arrived {} ms after its caller stopped waiting; not done", request.address(), late);
    request.fail(Failure.UNAVAILABLE.code(), "arrived " + late + " ms after its caller stopped waiting; not done");
    return true;
  }

  private Future<Void> registerHealth() {
    return serve(ServiceHealth.address(spec.name()), request -> health(), false);
  }

  /**
   * Adds entries a service knows beyond the events it consumed (state changes, deliveries); by
   * default none.
   */
  @FunctionalInterface
  public interface TimelineSource {
    Future<io.vertx.core.json.JsonArray> entries(String orderId);
  }

  private TimelineSource ownTimeline = orderId -> Future.succeededFuture(new io.vertx.core.json.JsonArray());

  /** Lets the service add its own entries to an order's timeline. */
  public void timelineSource(TimelineSource source) {
    this.ownTimeline = source;
  }

  private Future<Void> registerTimeline() {
    return serveAdmin(Timeline.address(spec.name()), m -> {
      String orderId = m.body() == null ? null : m.body().getString("orderId");
      Future<io.vertx.core.json.JsonArray> consumed = Timeline.consumedEvents(db.pool(), spec.name(), orderId);
      Future<io.vertx.core.json.JsonArray> own = ownTimeline.entries(orderId);
      return Future.all(consumed, own).map(v -> new JsonObject()
          .put("entries", consumed.result().copy().addAll(own.result())));
    });
  }

  private Future<Void> registerDeadLetterReplay() {
    if (spec.topic() == null) {
      return Future.succeededFuture();
    }
    DeadLetterReplay replay = new DeadLetterReplay(vertx, config.kafka(), producer, spec.topic());
    return serveAdmin(DeadLetterReplay.address(spec.topic()), m -> replay.replay(m.body() == null ? DEFAULT_REPLAY_MAX
        : m.body().getInteger("max", DEFAULT_REPLAY_MAX)));
  }

  /** Inbox rows older than the retention cannot matter any more; dropping them keeps the table small. */
  private void schedulePurge() {
    purgeTimer = vertx.setPeriodic(Defaults.INBOX_PURGE_INTERVAL.toMillis(), id -> db.pool()
        .preparedQuery("DELETE FROM inbox WHERE processed_at < now() - make_interval(secs => $1)")
        .execute(io.vertx.sqlclient.Tuple.of(config.consumer().inboxRetention().toSeconds()))
        .onFailure(error -> LOG.warn("inbox purge of {} failed: {}", spec.schema(), String.valueOf(error))));
  }

  /**
   * Leaves gracefully: withdraws its addresses from the cluster (others send elsewhere once they hear
   * of it) while still answering what reaches it meanwhile, then unregisters, stops consuming after
   * the batch in hand is committed, and stops the relay and closes the clients.
   */
  public Future<Void> stop() {
    vertx.cancelTimer(purgeTimer);
    long leaving = System.nanoTime();
    // A cluster that cannot answer (partitioned, shutting down) must not hold the leave past its deadline.
    return Future.join(addresses().stream().distinct().map(cluster::withdraw).toList())
        .timeout(DRAIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onFailure(error -> LOG.warn("{} could not withdraw its addresses from the cluster: {}", spec.name(),
            String.valueOf(error)))
        .eventually(() -> {
          withdrawnAt = System.nanoTime();
          return answerStragglers(withdrawnAt, leaving + DRAIN_TIMEOUT.toNanos());
        })
        .eventually(() -> Future.join(endpoints.stream().map(MessageConsumer::unregister).toList()))
        .andThen(ar -> LOG.info("{} stopped answering {} ms after it began to leave, having answered {} requests "
            + "that still came after it withdrew", spec.name(), millisSince(leaving), stragglers))
        .eventually(() -> Future.join(consumers.stream().map(IdempotentConsumer::stop).toList()))
        .eventually(() -> bounded(relay.stop(), "its outbox relay"))
        .eventually(() -> bounded(producer.close(), "its Kafka producer"))
        .eventually(() -> bounded(db.close(), "its database pool"))
        .andThen(ar -> LOG.info("{} left in {} ms", spec.name(), millisSince(leaving)))
        .mapEmpty();
  }

  private Future<Void> bounded(Future<Void> step, String what) {
    return step.timeout(LEAVE_STEP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onFailure(error -> LOG.warn("{} left without {}, which had not closed within {} ms: {}", spec.name(), what,
            LEAVE_STEP_TIMEOUT.toMillis(), error.toString()));
  }

  private static long millisSince(long nanos) {
    return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
