package io.ordermesh.loadtest;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.EventType;
import io.ordermesh.events.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Completed sagas per second and saga completion latency, measured through the gateway.
 *
 * <p>Placements go out open-loop at a constant arrival rate (see {@link OpenLoop}), rotating over the
 * given customers' tokens. Outcomes are learnt from Kafka, not by polling the API: a consumer of its
 * own (no group coordination, assigned to every partition of the saga's topics from their current
 * end) reads each record's key (the order id) and {@code type} header, and only parses the value of an
 * {@code OrderCancelled} for its reason. That costs the system under test one more fetch per topic,
 * no extra request, and sees an outcome at the moment anyone outside the order service could: once the
 * outbox relay published it. After the last placement the run waits up to the drain time for every
 * accepted saga to end; what has not ended by then is reported as incomplete.
 *
 * <p>A freshly started JVM runs the saga several times slower than a warm one until the JIT has
 * compiled its paths, and a backlog built then outlives any warm-up at full rate. So an optional
 * pre-warm phase first places orders at a fraction of the rate and waits for them to end (or for the
 * drain time), unmeasured; then the warm-up at full rate, then the measured window.
 *
 * <p>Deployed as a verticle so that the load, the HTTP answers and the Kafka records are all handled
 * on its one event loop, which the {@link SagaTracker} needs.
 */
public final class SagaBenchmark extends VerticleBase {

  /** The completion target (p99, ms): a second of the window whose p99 is above it is a slow second. */
  static final int COMPLETION_P99_TARGET_MS = 100;
  private static final int WORST_SECONDS_SHOWN = 5;
  private static final Duration DRAIN_POLL = Duration.ofMillis(100);
  private static final Duration KAFKA_POLL = Duration.ofMillis(50);
  private static final String ORDERS_PATH = "/api/v1/orders";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /**
   * What to run.
   *
   * @param tokens bearer tokens of the customers to rotate over, one placement each in turn
   * @param skus the products ordered, one line per order, rotating, quantity 1..3
   * @param connections HTTP connections the driver may open to the gateway
   */
  public record Settings(URI gateway, String kafkaBootstrap, List<String> tokens, List<String> skus,
      int ratePerSecond, Duration warmup, Duration duration, Duration drain, int connections,
      Duration prewarm, int prewarmRatePerSecond) {

    public Settings {
      if (ratePerSecond <= 0) {
        throw new IllegalArgumentException("rate must be > 0, but was " + ratePerSecond);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration must be > 0, but was " + duration);
      }
      if (warmup.isNegative() || prewarm.isNegative()) {
        throw new IllegalArgumentException("warmup and prewarm must be >= 0, but were " + warmup + ", " + prewarm);
      }
      if (!prewarm.isZero() && prewarmRatePerSecond <= 0) {
        throw new IllegalArgumentException("prewarm rate must be > 0, but was " + prewarmRatePerSecond);
      }
      if (tokens.isEmpty() || skus.isEmpty()) {
        throw new IllegalArgumentException("at least one customer token and one sku are needed");
      }
      tokens = List.copyOf(tokens);
      skus = List.copyOf(skus);
    }
  }

  private final Settings settings;
  private final Promise<JsonObject> report = Promise.promise();
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private HttpClient http;
  private KafkaConsumer<String, byte[]> kafka;
  private SagaTracker tracker;
  private long placed;

  public SagaBenchmark(Settings settings) {
    this.settings = settings;
  }

  /** The report, once the run and its drain are over. */
  public Future<JsonObject> report() {
    return report.future();
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(settings.connections()));
    kafka = KafkaConsumer.create(vertx, consumerConfig());
    kafka.handler(this::onRecord);
    // Start the run once the consumer stands at the end of every partition, without holding up deployment.
    followFromNow().compose(v -> run()).onComplete(report);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.join(kafka.close(), http.close());
  }

  private Map<String, String> consumerConfig() {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", settings.kafkaBootstrap());
    config.put("group.id", "ordermesh-bench-" + runId);
    config.put("client.id", "ordermesh-bench-" + runId);
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "latest");
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return config;
  }

  /** Assigns every partition of the saga's topics and resolves their end offsets before any order is placed. */
  private Future<Void> followFromNow() {
    kafka.pollTimeout(KAFKA_POLL);
    return Future.all(Topics.DOMAIN.stream().map(topic -> kafka.partitionsFor(topic)).toList())
        .map(all -> {
          Set<TopicPartition> partitions = new HashSet<>();
          for (int i = 0; i < all.size(); i++) {
            all.<List<io.vertx.kafka.client.common.PartitionInfo>>resultAt(i)
                .forEach(p -> partitions.add(new TopicPartition(p.getTopic(), p.getPartition())));
          }
          return partitions;
        })
        .compose(partitions -> kafka.assign(partitions)
            .compose(v -> kafka.seekToEnd(partitions))
            // seekToEnd is lazy: asking for the positions pins them now, before our first record exists.
            .compose(v -> Future.all(partitions.stream().map(kafka::position).toList())))
        .mapEmpty();
  }

  private Future<JsonObject> run() {
    tracker = new SagaTracker();
    JsonObject prewarm = new JsonObject().put("durationMs", settings.prewarm().toMillis())
        .put("ratePerSecond", settings.prewarmRatePerSecond());
    return prewarm(prewarm)
        .compose(v -> measure())
        .compose(v -> drain(System.nanoTime() + settings.drain().toNanos()))
        .map(v -> tracker.report()
            .put("prewarm", prewarm)
            .put("offeredRatePerSecond", settings.ratePerSecond())
            .put("warmupMs", settings.warmup().toMillis())
            .put("durationMs", settings.duration().toMillis())
            .put("drainMs", settings.drain().toMillis())
            .put("customers", settings.tokens().size())
            .put("connections", settings.connections())
            .put("completionSource", "Kafka " + String.join(", ", Topics.DOMAIN) + " (record key + type header)"));
  }

  /** Orders at the pre-warm rate, then a wait until they ended; none of it is measured. */
  private Future<Void> prewarm(JsonObject report) {
    if (settings.prewarm().isZero()) {
      return Future.succeededFuture();
    }
    long start = System.nanoTime();
    return new OpenLoop(vertx)
        .run(settings.prewarmRatePerSecond(), settings.prewarm(), this::place)
        .compose(load -> drain(System.nanoTime() + settings.drain().toNanos()))
        .onSuccess(v -> report.put("tookMs", (System.nanoTime() - start) / 1_000_000)
            .put("leftUnfinished", tracker.pending()));
  }

  /** Warm-up and measured window at the full rate, back to back; completes when every placement is answered. */
  private Future<OpenLoop.Result> measure() {
    long steadyStart = System.nanoTime() + settings.warmup().toNanos();
    tracker.window(steadyStart, steadyStart + settings.duration().toNanos());
    return new OpenLoop(vertx).run(settings.ratePerSecond(), settings.warmup().plus(settings.duration()), this::place);
  }

  /** Places the next order (customers, skus and quantities in turn), due at {@code due}. */
  private Future<Integer> place(long due) {
    return place(placed++, due);
  }

  private Future<Integer> place(long n, long due) {
    String token = settings.tokens().get((int) (n % settings.tokens().size()));
    JsonObject order = new JsonObject().put("lines", new JsonArray().add(new JsonObject()
        .put("sku", settings.skus().get((int) (n % settings.skus().size())))
        .put("quantity", 1 + (int) ((n / settings.skus().size()) % 3))));
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(settings.gateway().resolve(ORDERS_PATH).toString())
        .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(IDEMPOTENCY_KEY, "bench-" + runId + "-" + n);
    return http.request(request)
        .compose(req -> req.send(order.toBuffer()))
        .compose(response -> response.body().map(body -> answered(response, body, due)))
        .onFailure(error -> tracker.placementFailed(due, -1));
  }

  private int answered(HttpClientResponse response, Buffer body, long due) {
    if (response.statusCode() == 202) {
      tracker.placed(UUID.fromString(body.toJsonObject().getString("orderId")), due, System.nanoTime());
    } else {
      tracker.placementFailed(due, response.statusCode());
    }
    return response.statusCode();
  }

  private void onRecord(KafkaConsumerRecord<String, byte[]> record) {
    long seen = System.nanoTime();
    String type = header(record, EventHeaders.TYPE);
    if (type == null || record.key() == null) {
      return;
    }
    UUID orderId;
    try {
      orderId = UUID.fromString(record.key());
    } catch (IllegalArgumentException notAnOrder) {
      return;
    }
    String reason = EventType.ORDER_CANCELLED.wireName().equals(type) ? reason(record.value()) : null;
    tracker.event(orderId, type, reason, seen);
  }

  private static String header(KafkaConsumerRecord<String, byte[]> record, String key) {
    for (KafkaHeader header : record.headers()) {
      if (key.equals(header.key())) {
        return header.value().toString(StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String reason(byte[] value) {
    try {
      JsonObject data = new JsonObject(Buffer.buffer(value)).getJsonObject("data");
      return data == null ? null : data.getString("reason");
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  /** Waits until every accepted saga has an outcome, or the deadline passes. */
  private Future<Void> drain(long deadline) {
    if (tracker.pending() == 0 || System.nanoTime() >= deadline) {
      return Future.succeededFuture();
    }
    return vertx.timer(DRAIN_POLL.toMillis()).compose(v -> drain(deadline));
  }

  /** The report as the table {@code ordermesh bench saga} prints. */
  public static String table(JsonObject report) {
    JsonObject placements = report.getJsonObject("placements");
    JsonObject completion = report.getJsonObject("completion");
    JsonObject outcomes = report.getJsonObject("outcomes");
    JsonObject hops = report.getJsonObject("hopsMs");
    return String.join("\n",
        String.format(Locale.ROOT, "saga benchmark: %d orders/s offered, %d s measured after %d s warm-up, %d customers",
            report.getInteger("offeredRatePerSecond"), report.getLong("durationMs") / 1000,
            report.getLong("warmupMs") / 1000, report.getInteger("customers")),
        String.format(Locale.ROOT, "  pre-warm: %d orders/s for %d s, then waited %d ms for them (%d left unfinished)",
            report.getJsonObject("prewarm").getInteger("ratePerSecond"),
            report.getJsonObject("prewarm").getLong("durationMs") / 1000,
            report.getJsonObject("prewarm").getLong("tookMs", 0L) - report.getJsonObject("prewarm").getLong("durationMs"),
            report.getJsonObject("prewarm").getLong("leftUnfinished", 0L)),
        String.format(Locale.ROOT, "  completed sagas/s (steady window)   %10.1f   (placements accepted/s %.1f)",
            report.getDouble("completedPerSecond"), report.getDouble("acceptedPerSecond")),
        line("saga completion (due -> outcome)", completion.getJsonObject("latencyMs")),
        secondsLine(completion.getJsonArray("bySecond", new JsonArray()), report.getLong("windowMs", 0L) / 1000),
        line("placement (due -> 202)", placements.getJsonObject("latencyMs")),
        line("  hop: due -> OrderPlaced on Kafka", hops.getJsonObject("requestToOrderPlaced")),
        line("  hop: OrderPlaced -> stock answer", hops.getJsonObject("orderPlacedToStockAnswer")),
        line("  hop: stock -> credit answer", hops.getJsonObject("stockAnswerToCreditAnswer")),
        line("  hop: last answer -> outcome", hops.getJsonObject("lastAnswerToOutcome")),
        String.format(Locale.ROOT, "  measured sagas: %d placed, %d confirmed, %d cancelled %s, %d incomplete",
            placements.getLong("attempted"), outcomes.getLong("confirmed"), outcomes.getLong("cancelled"),
            outcomes.getJsonObject("cancelReasons").encode(), completion.getLong("incomplete")),
        String.format(Locale.ROOT,
            "  placement errors %s (%d more in pre-warm and warm-up), duplicate outcomes %d, events of unknown orders %d",
            placements.getJsonObject("errors").encode(), placements.getLong("errorsOutsideWindow"),
            report.getLong("duplicateOutcomes"), report.getLong("unmatchedEvents")));
  }

  /**
   * How the completion tail spreads over the window's seconds: how many had a p99 over 100 ms, and the
   * worst. A second of the window whose sagas none completed is missing from {@code bySecond} and counts
   * as slow.
   */
  static String secondsLine(JsonArray bySecond, long windowSeconds) {
    if (bySecond.isEmpty()) {
      return "    by due second: no saga due in the window completed";
    }
    List<JsonObject> seconds = bySecond.stream().map(JsonObject.class::cast)
        .sorted(Comparator.comparingDouble((JsonObject s) -> s.getDouble("p99")).reversed())
        .toList();
    long total = Math.max(windowSeconds, seconds.size());
    long over = seconds.stream().filter(s -> s.getDouble("p99") > COMPLETION_P99_TARGET_MS).count() + total - seconds.size();
    String worst = seconds.stream().limit(WORST_SECONDS_SHOWN)
        .map(s -> String.format(Locale.ROOT, "%ds %.0f", s.getLong("second"), s.getDouble("p99")))
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "    by due second: p99 over %d ms in %d of %d s; worst (s ms): %s",
        COMPLETION_P99_TARGET_MS, over, total, worst);
  }

  private static String line(String what, JsonObject ms) {
    return String.format(Locale.ROOT, "  %-36s p50 %8.2f  p90 %8.2f  p99 %8.2f  max %8.2f ms", what,
        ms.getDouble("p50"), ms.getDouble("p90"), ms.getDouble("p99"), ms.getDouble("max"));
  }
}
