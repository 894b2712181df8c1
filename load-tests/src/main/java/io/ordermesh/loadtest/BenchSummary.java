package io.ordermesh.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import java.util.stream.DoubleStream;

/**
 * One run of {@code load-tests/bench/run-all.sh} in one JSON document and one table: the parts the
 * script measured (each a JSON file named after its part), the ratios to the baselines measured in
 * the same run, and issue 7's targets with whether this run met them. Pure: no I/O.
 */
public final class BenchSummary {

  /** Parts, by the file name (without {@code .json}) the script writes them under. */
  public static final String MACHINE = "machine";
  public static final String SAGA = "saga";
  /** {@code {"runs": [...]}}: short saga runs at rates below the main one, each as {@code bench saga} wrote it. */
  public static final String SAGA_LOWER_RATES = "saga-lower-rates";
  /**
   * {@code {"passSeconds", "rate", "settledBelow", "passes": [{"jitShare"}, ...]}}: the passes at the full
   * rate that ran before the saga benchmark until the node's JIT compiler threads were nearly idle (a
   * share is their CPU time over the pass's, in cores).
   */
  public static final String SAGA_JIT_WARMUP = "saga-jit-warmup";
  public static final String PGBENCH = "pgbench";
  public static final String COLD_START = "coldstart";
  public static final String BREAKER = "breaker";
  /** {@code GET /users/me} as clients send it: the user service answers from its views in memory. */
  public static final String READ_GATEWAY = "read-gateway-wrk";
  /** The same with {@code Cache-Control: no-cache}: a PostgreSQL query per request. */
  public static final String READ_GATEWAY_FRESH = "read-gateway-fresh-wrk";
  public static final String READ_GATEWAY_JAVA = "read-gateway-java";
  public static final String READ_NGINX_DB = "read-nginx-db-wrk";
  public static final String READ_NGINX_STATIC = "read-nginx-static-wrk";
  public static final String READ_PLAIN_DB = "read-plain-db-wrk";
  /** {@code ordermesh check}'s answer after the saga run settled. */
  public static final String CONSISTENCY = "consistency";
  public static final List<String> PARTS = List.of(MACHINE, SAGA_JIT_WARMUP, SAGA, SAGA_LOWER_RATES, PGBENCH, COLD_START, BREAKER, READ_GATEWAY,
      READ_GATEWAY_FRESH, READ_GATEWAY_JAVA, READ_NGINX_DB, READ_NGINX_STATIC, READ_PLAIN_DB, CONSISTENCY);

  static final String MET = "met";
  static final String MISSED = "missed";
  static final String NOT_MEASURED = "not measured";
  static final String BELOW_CONDITIONS = "met, but below the target's load or length";

  private static final long SUSTAINED_MS = 5 * 60 * 1000;

  private BenchSummary() {
  }

  /** Everything in one document: the parts as measured, derived numbers, ratios and targets. */
  public static JsonObject combine(Map<String, JsonObject> parts) {
    JsonObject saga = parts.get(SAGA);
    JsonObject pgbench = parts.get(PGBENCH) == null ? null : withSagaEquivalents(parts.get(PGBENCH));
    JsonObject gateway = parts.get(READ_GATEWAY);
    JsonObject gatewayFresh = parts.get(READ_GATEWAY_FRESH);
    JsonObject nginxDb = parts.get(READ_NGINX_DB);
    JsonObject nginxStatic = parts.get(READ_NGINX_STATIC);
    // Each gateway read is held against nginx in front of a backend doing the same work: the user
    // service's views against the plain backend's copy in memory, a fresh read against its same query.
    JsonObject ratios = new JsonObject()
        .put("sagasToPgbenchCeiling", ratio(number(saga, "completedPerSecond"),
            number(pgbench, "sagaEquivalentsPerSecond")))
        .put("gatewayToNginxFromMemory", ratio(number(gateway, "requestsPerSecond"),
            number(nginxStatic, "requestsPerSecond")))
        .put("gatewayFreshToNginxSameSql", ratio(number(gatewayFresh, "requestsPerSecond"),
            number(nginxDb, "requestsPerSecond")));
    JsonObject reads = new JsonObject();
    putIfPresent(reads, "gatewayWrk", gateway);
    putIfPresent(reads, "gatewayFreshWrk", gatewayFresh);
    putIfPresent(reads, "gatewayJava", parts.get(READ_GATEWAY_JAVA));
    putIfPresent(reads, "nginxToPlainBackendDb", nginxDb);
    putIfPresent(reads, "nginxToPlainBackendStatic", nginxStatic);
    putIfPresent(reads, "plainBackendDbDirect", parts.get(READ_PLAIN_DB));
    JsonObject combined = new JsonObject();
    putIfPresent(combined, "machine", parts.get(MACHINE));
    putIfPresent(combined, "sagaJitWarmup", parts.get(SAGA_JIT_WARMUP));
    putIfPresent(combined, "saga", saga);
    putIfPresent(combined, "sagaAtLowerRates", parts.get(SAGA_LOWER_RATES));
    putIfPresent(combined, "consistencyAfterSagas", parts.get(CONSISTENCY));
    putIfPresent(combined, "pgbench", pgbench);
    combined.put("reads", reads);
    putIfPresent(combined, "breaker", parts.get(BREAKER));
    putIfPresent(combined, "coldStart", parts.get(COLD_START));
    return combined.put("ratios", ratios).put("targets", targets(parts, ratios));
  }

  /**
   * One read measured in rounds, taken in turns with the other reads (run-all's gateway and nginx
   * reads alternate), as one: requests and errors add up, and requests per second are all requests
   * over all the rounds' time, so a round taken while the shared machine was slow weighs on both
   * sides of a ratio alike. wrk reports percentiles, not its histogram, so the rounds' percentiles
   * cannot be merged exactly: p50 and p90 are the median of the rounds', p99 and max the highest
   * round's (no better than any round saw). The rounds' own requests per second stay in
   * {@code roundsRequestsPerSecond}.
   */
  public static JsonObject mergeRounds(List<JsonObject> rounds) {
    if (rounds.size() == 1) {
      return rounds.get(0);
    }
    JsonObject first = rounds.get(0);
    long requests = 0;
    long durationMs = 0;
    long errors = 0;
    double latencySum = 0;
    JsonObject errorsByKind = new JsonObject();
    JsonArray perRound = new JsonArray();
    for (JsonObject round : rounds) {
      requests += round.getLong("requests", 0L);
      durationMs += round.getLong("durationMs", 0L);
      errors += round.getLong("errors", 0L);
      Double mean = number(round, "latencyMs", "mean");
      latencySum += round.getLong("requests", 0L) * (mean == null ? 0 : mean);
      round.getJsonObject("errorsByKind", new JsonObject()).forEach(kind ->
          errorsByKind.put(kind.getKey(), errorsByKind.getLong(kind.getKey(), 0L) + ((Number) kind.getValue()).longValue()));
      perRound.add(round.getValue("requestsPerSecond"));
    }
    JsonObject latency = new JsonObject()
        .put("count", requests)
        .put("p50", median(rounds, "p50"))
        .put("p90", median(rounds, "p90"))
        .put("p99", highest(rounds, "p99"))
        .put("max", highest(rounds, "max"))
        .put("mean", requests == 0 ? 0 : round(latencySum / requests));
    return new JsonObject()
        .put("tool", first.getValue("tool"))
        .put("target", first.getValue("target"))
        .put("connections", first.getValue("connections"))
        .put("durationMs", durationMs)
        .put("requests", requests)
        .put("errors", errors)
        .put("errorsByKind", errorsByKind)
        .put("requestsPerSecond", durationMs == 0 ? 0 : round(requests * 1000.0 / durationMs))
        .put("latencyMs", latency)
        .put("rounds", rounds.size())
        .put("roundsRequestsPerSecond", perRound);
  }

  private static Double median(List<JsonObject> rounds, String percentile) {
    double[] values = percentiles(rounds, percentile).sorted().toArray();
    if (values.length == 0) {
      return null;
    }
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  private static Double highest(List<JsonObject> rounds, String percentile) {
    OptionalDouble highest = percentiles(rounds, percentile).max();
    return highest.isPresent() ? highest.getAsDouble() : null;
  }

  private static DoubleStream percentiles(List<JsonObject> rounds, String percentile) {
    return rounds.stream().map(r -> number(r, "latencyMs", percentile)).filter(Objects::nonNull)
        .mapToDouble(Double::doubleValue);
  }

  /**
   * pgbench runs the SQL of one whole saga per script run, so its "tps" is script runs per second;
   * transactions per second are that times the transactions of one saga, and saga-equivalents per
   * second are transactions per second over transactions per saga.
   */
  static JsonObject withSagaEquivalents(JsonObject pgbench) {
    JsonObject copy = pgbench.copy();
    Double runs = number(pgbench, "scriptRunsPerSecond");
    Double perSaga = number(pgbench, "transactionsPerSaga");
    if (runs != null && perSaga != null && perSaga > 0) {
      double transactions = runs * perSaga;
      copy.put("transactionsPerSecond", round(transactions));
      copy.put("sagaEquivalentsPerSecond", round(transactions / perSaga));
    }
    return copy;
  }

  /**
   * "Faster than nginx" needs a margin: two wrk runs of one server on this shared box differ by a
   * couple of percent, so a ratio of 1.00x is a tie, not a win.
   */
  static final double FASTER_MARGIN = 1.02;
  static final double TARGET_SAGA_RATE = 500;
  /** How much the sagas in flight may grow over the window, in seconds of arrivals, for a rate to count as kept up. */
  static final double IN_FLIGHT_GROWTH_ALLOWED_SECONDS = 1.0;

  private static JsonArray targets(Map<String, JsonObject> parts, JsonObject ratios) {
    JsonObject saga = parts.get(SAGA);
    JsonObject read = parts.get(READ_GATEWAY);
    JsonObject breaker = parts.get(BREAKER);
    JsonObject cold = parts.get(COLD_START);
    Double sagaRate = number(saga, "completedPerSecond");
    boolean sustained = saga != null && saga.getLong("durationMs", 0L) >= SUSTAINED_MS;
    boolean keptPace = saga != null && keptPace(saga, TARGET_SAGA_RATE);
    JsonArray targets = new JsonArray();
    targets.add(target(">= 500 completed sagas/s sustained 5 min", "/s", sagaRate,
        v -> v >= TARGET_SAGA_RATE || keptPace, saga != null && !sustained));
    targets.add(target("saga completion p99 <= 100 ms at that rate", " ms",
        number(saga == null ? null : saga.getJsonObject("completion"), "latencyMs", "p99"),
        v -> v <= SagaBenchmark.COMPLETION_P99_TARGET_MS,
        saga != null && !keptPace && (sagaRate == null || sagaRate < TARGET_SAGA_RATE)));
    targets.add(target("routed read >= 40k req/s at 16 connections", " req/s", number(read, "requestsPerSecond"),
        v -> v >= 40_000, false));
    targets.add(target("routed read p99 <= 5 ms", " ms", number(read, "latencyMs", "p99"), v -> v <= 5, false));
    targets.add(target("routed read faster than nginx -> backend from memory", "x",
        number(ratios, "gatewayToNginxFromMemory"), v -> v > FASTER_MARGIN, false));
    targets.add(target("breaker open within 1 s of silence", " ms", number(breaker, "timeToOpenMs"),
        v -> v <= 1000, false));
    targets.add(target("affected route p99 <= 2 ms while open", " ms", number(breaker, "affectedWhileOpen", "p99Ms"),
        v -> v <= 2, false));
    targets.add(target("cold start, embedded infra, new home <= 10 s", " ms", number(cold, "embeddedFirstRunMs"),
        v -> v <= 10_000, false));
    targets.add(target("cold start, embedded infra, existing home <= 10 s", " ms", number(cold, "embeddedRestartMs"),
        v -> v <= 10_000, false));
    targets.add(target("app alone (infra running), first start <= 1.5 s", " ms", number(cold, "appAloneFirstRunMs"),
        v -> v <= 1_500, false));
    targets.add(target("app alone (infra running), restart, median <= 1.5 s", " ms", number(cold, "appAloneRestartMs"),
        v -> v <= 1_500, false));
    return targets;
  }

  /**
   * Whether the system kept up with {@code rate} offered: every placement of the window accepted at
   * that rate, every measured saga completed, and the window ended with at most
   * {@link #IN_FLIGHT_GROWTH_ALLOWED_SECONDS} of arrivals more in flight than it began with. The
   * driver offers exactly the target rate, so the outcomes inside the window equal the placements
   * give or take the sagas under way at its two edges (499.95/s over 300 s is 15 sagas, 30 ms of
   * arrivals, still in flight at the end); a system falling behind grows that by far more.
   */
  static boolean keptPace(JsonObject saga, double rate) {
    JsonObject placements = saga.getJsonObject("placements", new JsonObject());
    JsonObject completion = saga.getJsonObject("completion", new JsonObject());
    long accepted = placements.getLong("accepted", 0L);
    double acceptedPerSecond = saga.getDouble("acceptedPerSecond", 0.0);
    // the window the tracker counted outcomes in, which the rates are per second of
    double windowSeconds = saga.getLong("windowMs", 0L) / 1000.0;
    double inFlightGrowth = (acceptedPerSecond - saga.getDouble("completedPerSecond", 0.0)) * windowSeconds;
    return acceptedPerSecond >= rate && windowSeconds > 0
        && accepted > 0 && accepted == placements.getLong("attempted", -1L)
        && completion.getLong("completed", -1L) == accepted && completion.getLong("incomplete", -1L) == 0
        && inFlightGrowth <= rate * IN_FLIGHT_GROWTH_ALLOWED_SECONDS;
  }

  /** @param notComparable measured, but under conditions the target does not speak of (too short, too slow) */
  private static JsonObject target(String what, String unit, Double measured, DoublePredicate holds,
      boolean notComparable) {
    String status;
    if (measured == null) {
      status = NOT_MEASURED;
    } else if (!holds.test(measured)) {
      status = MISSED;
    } else {
      status = notComparable ? BELOW_CONDITIONS : MET;
    }
    return new JsonObject().put("target", what).put("measured", measured).put("unit", unit).put("status", status);
  }

  /** The combined document as the table the script prints. */
  public static String table(JsonObject combined) {
    List<String> lines = new ArrayList<>();
    JsonObject machine = combined.getJsonObject("machine", new JsonObject());
    lines.add(String.format(Locale.ROOT, "Ordermesh benchmarks  %s  commit %s", machine.getString("date", "?"),
        machine.getString("commit", "?")));
    lines.add(String.format(Locale.ROOT, "  machine: %s cores, %s; load average before %s, after %s",
        machine.getValue("cores", "?"), machine.getString("cpu", "?"), machine.getString("loadAverageBefore", "?"),
        machine.getString("loadAverageAfter", "?")));
    lines.add(String.format(Locale.ROOT, "  java: %s", machine.getString("java", "?")));
    lines.add("");
    lines.add(String.format(Locale.ROOT, "%-52s %22s %22s %8s", "", "measured", "baseline (same run)", "ratio"));
    sagaRows(combined, lines);
    readRows(combined, lines);
    breakerRows(combined.getJsonObject("breaker"), lines);
    coldRows(combined.getJsonObject("coldStart"), lines);
    lines.add("");
    lines.add("targets (issue 7)");
    for (Object o : combined.getJsonArray("targets", new JsonArray())) {
      JsonObject t = (JsonObject) o;
      Double measured = t.getDouble("measured");
      String value = measured == null ? "-" : fmt(measured) + t.getString("unit", "");
      lines.add(String.format(Locale.ROOT, "  %-52s %18s  %s", t.getString("target"), value, t.getString("status")));
    }
    return String.join("\n", lines.stream().map(String::stripTrailing).toList());
  }

  private static void sagaRows(JsonObject combined, List<String> lines) {
    JsonObject saga = combined.getJsonObject("saga");
    JsonObject pgbench = combined.getJsonObject("pgbench");
    if (saga == null) {
      lines.add(row("saga: not measured", "-", "-", null));
      return;
    }
    String baseline = pgbench == null || pgbench.getValue("sagaEquivalentsPerSecond") == null ? "-"
        : fmt(pgbench.getDouble("sagaEquivalentsPerSecond")) + " pgbench";
    lines.add(row(String.format(Locale.ROOT, "completed sagas/s (offered %d/s, %d s)",
            saga.getInteger("offeredRatePerSecond", 0), saga.getLong("durationMs", 0L) / 1000),
        fmt(saga.getDouble("completedPerSecond")), baseline,
        combined.getJsonObject("ratios").getDouble("sagasToPgbenchCeiling")));
    jitWarmupRow(combined.getJsonObject("sagaJitWarmup"), lines);
    JsonObject completion = saga.getJsonObject("completion", new JsonObject());
    lines.add(row("saga completion from due time p50 / p99 / max (ms)", triple(completion.getJsonObject("latencyMs")),
        "", null));
    JsonArray bySecond = completion.getJsonArray("bySecond");
    if (bySecond != null) { // absent from reports written before it existed
      lines.add(SagaBenchmark.secondsLine(bySecond, saga.getLong("windowMs", 0L) / 1000));
    }
    lines.add(row("placement (202) from due time p50 / p99 / max (ms)",
        triple(saga.getJsonObject("placements", new JsonObject()).getJsonObject("latencyMs")), "", null));
    JsonObject hops = saga.getJsonObject("hopsMs", new JsonObject());
    lines.add(String.format(Locale.ROOT, "  hops p50/p99 (ms): to OrderPlaced %s, to stock %s, to credit %s, to outcome %s",
        pair(hops.getJsonObject("requestToOrderPlaced")), pair(hops.getJsonObject("orderPlacedToStockAnswer")),
        pair(hops.getJsonObject("stockAnswerToCreditAnswer")), pair(hops.getJsonObject("lastAnswerToOutcome"))));
    lowerRateRow(combined.getJsonObject("sagaAtLowerRates"), lines);
    JsonObject outcomes = saga.getJsonObject("outcomes", new JsonObject());
    JsonObject placements = saga.getJsonObject("placements", new JsonObject());
    lines.add(String.format(Locale.ROOT,
        "  measured sagas: %d confirmed, %d cancelled %s, %d incomplete; placement errors %s",
        outcomes.getLong("confirmed", 0L), outcomes.getLong("cancelled", 0L),
        outcomes.getJsonObject("cancelReasons", new JsonObject()).encode(), completion.getLong("incomplete", 0L),
        placements.getJsonObject("errors", new JsonObject()).encode()));
    JsonObject consistency = combined.getJsonObject("consistencyAfterSagas");
    if (consistency != null) {
      lines.add(String.format(Locale.ROOT, "  invariants after the run (ordermesh check): %s, %s orders checked, %d violations",
          consistency.getBoolean("ok", false) ? "ok" : "VIOLATED", consistency.getValue("checkedOrders", "?"),
          consistency.getJsonArray("violations", new JsonArray()).size()));
    }
    if (pgbench != null) {
      lines.add(String.format(Locale.ROOT,
          "  pgbench: %s clients, %s transactions/saga, %s transactions/s, %s failed",
          pgbench.getValue("clients", "?"), pgbench.getValue("transactionsPerSaga", "?"),
          pgbench.getValue("transactionsPerSecond", "?"), pgbench.getValue("failed", "?")));
    }
  }

  private static void readRows(JsonObject combined, List<String> lines) {
    JsonObject reads = combined.getJsonObject("reads", new JsonObject());
    JsonObject ratios = combined.getJsonObject("ratios");
    JsonObject gateway = reads.getJsonObject("gatewayWrk");
    JsonObject fresh = reads.getJsonObject("gatewayFreshWrk");
    JsonObject nginxDb = reads.getJsonObject("nginxToPlainBackendDb");
    JsonObject nginxStatic = reads.getJsonObject("nginxToPlainBackendStatic");
    JsonObject plain = reads.getJsonObject("plainBackendDbDirect");
    JsonObject java = reads.getJsonObject("gatewayJava");
    String connections = gateway == null ? "?" : String.valueOf(gateway.getValue("connections", "?"));
    lines.add(row("routed read GET /users/me, " + connections + " connections (wrk) req/s", rps(gateway),
        nginxStatic == null ? "-" : rps(nginxStatic) + " nginx", ratios.getDouble("gatewayToNginxFromMemory")));
    lines.add(row("  (user service's view; nginx -> plain backend's copy in memory)", "", "", null));
    String perRound = perRoundRatios(gateway, nginxStatic);
    if (perRound != null) {
      lines.add("  ratio in each round (gateway and nginx read in turns): " + perRound);
    }
    lines.add(row("  p50 / p99 / max (ms)", triple(latency(gateway)), triple(latency(nginxStatic)), null));
    lines.add(row("  Cache-Control: no-cache (one query each) req/s", rps(fresh),
        nginxDb == null ? "-" : rps(nginxDb) + " nginx", ratios.getDouble("gatewayFreshToNginxSameSql")));
    lines.add(row("  p50 / p99 / max (ms)", triple(latency(fresh)), triple(latency(nginxDb)), null));
    String freshPerRound = perRoundRatios(fresh, nginxDb);
    if (freshPerRound != null) {
      lines.add("  ratio in each round (gateway and nginx read in turns): " + freshPerRound);
    }
    lines.add(row("  plain backend alone, no nginx (same SQL) req/s", "", rps(plain), null));
    if (java != null) {
      lines.add(row("  gateway, Java closed-loop driver req/s, p99 ms", rps(java) + ", " + fmt(number(java, "latencyMs",
          "p99")), "", null));
    }
  }

  /**
   * The rounds' ratios, when both reads were measured in the same number of rounds taken in turns;
   * null otherwise (a round left out, a read measured in one go).
   */
  static String perRoundRatios(JsonObject measured, JsonObject baseline) {
    JsonArray ours = measured == null ? null : measured.getJsonArray("roundsRequestsPerSecond");
    JsonArray theirs = baseline == null ? null : baseline.getJsonArray("roundsRequestsPerSecond");
    if (ours == null || theirs == null || ours.size() != theirs.size()) {
      return null;
    }
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) {
      Double ratio = ratio(ours.getValue(i) instanceof Number n ? n.doubleValue() : null,
          theirs.getValue(i) instanceof Number n ? n.doubleValue() : null);
      ratios.add(ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio));
    }
    return String.join(" ", ratios);
  }

  private static void breakerRows(JsonObject breaker, List<String> lines) {
    if (breaker == null) {
      return;
    }
    JsonObject open = breaker.getJsonObject("affectedWhileOpen", new JsonObject());
    lines.add(row("breaker: time to open after inventory went silent (ms)", fmt(number(breaker, "timeToOpenMs")), "",
        null));
    lines.add(row("  /products/{sku} while open p50 / p99 (ms)", fmt(number(open, "p50Ms")) + " / "
        + fmt(number(open, "p99Ms")), "", null));
  }

  private static void coldRows(JsonObject cold, List<String> lines) {
    if (cold == null) {
      return;
    }
    lines.add(row("cold start to ready, embedded infra: new home / restart (s)",
        seconds(number(cold, "embeddedFirstRunMs")) + " / " + seconds(number(cold, "embeddedRestartMs")), "", null));
    lines.add(row("  app alone, infra running: first / restart median of 3 (s)",
        seconds(number(cold, "appAloneFirstRunMs")) + " / " + seconds(number(cold, "appAloneRestartMs")), "", null));
  }

  /** One line: how long the node's JIT was given at the full rate before the benchmark, and its CPU in each pass. */
  private static void jitWarmupRow(JsonObject warmup, List<String> lines) {
    JsonArray passes = warmup == null ? null : warmup.getJsonArray("passes");
    if (passes == null || passes.isEmpty()) {
      return;
    }
    List<String> shares = passes.stream().map(JsonObject.class::cast)
        .map(pass -> String.format(Locale.ROOT, "%.1f%%", 100 * pass.getDouble("jitShare", 0.0)))
        .toList();
    double last = passes.getJsonObject(passes.size() - 1).getDouble("jitShare", 0.0);
    double settledBelow = warmup.getDouble("settledBelow", 0.0);
    lines.add(String.format(Locale.ROOT, "  before it, %d %s of %d s at %d/s until the node's JIT used under %.1f%% of a "
            + "core (%s)%s", passes.size(), passes.size() == 1 ? "pass" : "passes", warmup.getInteger("passSeconds", 0),
        warmup.getInteger("rate", 0), 100 * settledBelow, String.join(", ", shares),
        last < settledBelow ? "" : ": not settled, the window includes JIT work"));
  }

  /** One line: each lower rate's completed sagas/s and completion p50/p99, where latency stands below saturation. */
  private static void lowerRateRow(JsonObject lower, List<String> lines) {
    JsonArray runs = lower == null ? null : lower.getJsonArray("runs");
    if (runs == null || runs.isEmpty()) {
      return;
    }
    List<String> each = runs.stream().map(JsonObject.class::cast)
        .map(run -> String.format(Locale.ROOT, "%d/s (%s done) %s", run.getInteger("offeredRatePerSecond", 0),
            fmt(run.getDouble("completedPerSecond")),
            pair(run.getJsonObject("completion", new JsonObject()).getJsonObject("latencyMs"))))
        .toList();
    lines.add("  at lower rates, completion p50/p99 (ms): " + String.join(", ", each));
  }

  private static String row(String what, String measured, String baseline, Double ratio) {
    return String.format(Locale.ROOT, "%-52s %22s %22s %8s", what, measured, baseline,
        ratio == null ? "" : String.format(Locale.ROOT, "%.2f", ratio));
  }

  private static JsonObject latency(JsonObject read) {
    return read == null ? null : read.getJsonObject("latencyMs");
  }

  private static String rps(JsonObject read) {
    Double value = number(read, "requestsPerSecond");
    return value == null ? "-" : String.format(Locale.ROOT, "%.0f", value);
  }

  private static String triple(JsonObject p) {
    if (p == null) {
      return "-";
    }
    return fmt(number(p, "p50")) + " / " + fmt(number(p, "p99")) + " / " + fmt(number(p, "max"));
  }

  private static String pair(JsonObject p) {
    return p == null ? "-" : fmt(number(p, "p50")) + "/" + fmt(number(p, "p99"));
  }

  private static String seconds(Double millis) {
    return millis == null ? "-" : String.format(Locale.ROOT, "%.1f", millis / 1000);
  }

  static String fmt(Double value) {
    if (value == null) {
      return "-";
    }
    if (value >= 1000 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.1f" : "%.2f", value);
  }

  private static Double ratio(Double measured, Double baseline) {
    return measured == null || baseline == null || baseline == 0 ? null : Math.round(measured / baseline * 1000) / 1000.0;
  }

  /** A number at the end of a path of object keys, or null when any step is missing. */
  static Double number(JsonObject json, String... path) {
    Object value = json;
    for (String key : path) {
      if (!(value instanceof JsonObject object)) {
        return null;
      }
      value = object.getValue(key);
    }
    return value instanceof Number n ? n.doubleValue() : null;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void putIfPresent(JsonObject json, String key, JsonObject value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
