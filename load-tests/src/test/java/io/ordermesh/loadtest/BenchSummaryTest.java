package io.ordermesh.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run summary: ratios to the same run's baselines, target statuses, and the printed table. */
class BenchSummaryTest {

  @Test
  void dividesCompletedSagasByThePgbenchCeilingOfTheSameWork() {
    Map<String, JsonObject> parts = new HashMap<>();
    parts.put(BenchSummary.SAGA, saga(250, 300_000, 40));
    parts.put(BenchSummary.PGBENCH, new JsonObject().put("scriptRunsPerSecond", 1000.0).put("transactionsPerSaga", 19));

    JsonObject combined = BenchSummary.combine(parts);

    JsonObject pgbench = combined.getJsonObject("pgbench");
    assertThat(pgbench.getDouble("transactionsPerSecond")).isEqualTo(19_000.0);
    assertThat(pgbench.getDouble("sagaEquivalentsPerSecond")).isEqualTo(1000.0);
    assertThat(combined.getJsonObject("ratios").getDouble("sagasToPgbenchCeiling")).isEqualTo(0.25);
  }

  @Test
  void comparesEachGatewayReadWithNginxInFrontOfABackendDoingTheSameWork() {
    Map<String, JsonObject> parts = new HashMap<>();
    parts.put(BenchSummary.READ_GATEWAY, read(12_000, 3.2));
    parts.put(BenchSummary.READ_GATEWAY_FRESH, read(6_000, 3.9));
    parts.put(BenchSummary.READ_NGINX_DB, read(8_000, 2.5));
    parts.put(BenchSummary.READ_NGINX_STATIC, read(24_000, 1.1));

    JsonObject ratios = BenchSummary.combine(parts).getJsonObject("ratios");

    assertThat(ratios.getDouble("gatewayToNginxFromMemory")).as("views against a copy in memory").isEqualTo(0.5);
    assertThat(ratios.getDouble("gatewayFreshToNginxSameSql")).as("a query each, both").isEqualTo(0.75);
  }

  @Test
  void callsARoutedReadLevelWithNginxATieNotAWin() {
    Map<String, JsonObject> level = new HashMap<>();
    level.put(BenchSummary.READ_GATEWAY, read(18_822, 3.4)); // 1.01x: inside the margin
    level.put(BenchSummary.READ_NGINX_STATIC, read(18_636, 4.1));
    Map<String, JsonObject> ahead = new HashMap<>();
    ahead.put(BenchSummary.READ_GATEWAY, read(20_000, 3.4));
    ahead.put(BenchSummary.READ_NGINX_STATIC, read(18_636, 4.1));

    assertThat(status(BenchSummary.combine(level).getJsonArray("targets"), "routed read faster than nginx"))
        .isEqualTo(BenchSummary.MISSED);
    assertThat(status(BenchSummary.combine(ahead).getJsonArray("targets"), "routed read faster than nginx"))
        .isEqualTo(BenchSummary.MET);
  }

  @Test
  void judgesEachTargetAndSaysWhatWasNotMeasured() {
    Map<String, JsonObject> parts = new HashMap<>();
    parts.put(BenchSummary.SAGA, saga(510, 300_000, 80));
    parts.put(BenchSummary.READ_GATEWAY, read(30_000, 6.0));
    parts.put(BenchSummary.COLD_START, new JsonObject().put("embeddedFirstRunMs", 11_700).put("embeddedRestartMs", 6_800));

    JsonArray targets = BenchSummary.combine(parts).getJsonArray("targets");

    assertThat(status(targets, ">= 500 completed sagas/s")).isEqualTo(BenchSummary.MET);
    assertThat(status(targets, "saga completion p99")).isEqualTo(BenchSummary.MET);
    assertThat(status(targets, "routed read >= 40k")).isEqualTo(BenchSummary.MISSED);
    assertThat(status(targets, "routed read p99")).isEqualTo(BenchSummary.MISSED);
    assertThat(status(targets, "breaker open")).isEqualTo(BenchSummary.NOT_MEASURED);
    assertThat(status(targets, "cold start, embedded infra, new home")).isEqualTo(BenchSummary.MISSED);
    assertThat(status(targets, "cold start, embedded infra, existing home")).isEqualTo(BenchSummary.MET);
  }

  @Test
  void doesNotCallAShortRunATargetMet() {
    JsonArray targets = BenchSummary.combine(Map.of(BenchSummary.SAGA, saga(520, 60_000, 50)))
        .getJsonArray("targets");

    assertThat(status(targets, ">= 500 completed sagas/s")).isEqualTo(BenchSummary.BELOW_CONDITIONS);
  }

  @Test
  void countsTheRateAsSustainedWhenEverySagaCompletedAndTheWindowClosedWithAFewMoreInFlight() {
    JsonArray targets = BenchSummary.combine(Map.of(BenchSummary.SAGA, saga(499.95, 300_000, 90)))
        .getJsonArray("targets");

    assertThat(status(targets, ">= 500 completed sagas/s")).isEqualTo(BenchSummary.MET);
    assertThat(status(targets, "saga completion p99")).isEqualTo(BenchSummary.MET);
  }

  @Test
  void doesNotCountTheRateAsSustainedWhenTheSagasInFlightGrewOrSomeNeverCompleted() {
    JsonObject fallingBehind = saga(497, 300_000, 90);
    JsonObject lostSome = saga(499.95, 300_000, 90);
    lostSome.getJsonObject("completion").put("completed", 999).put("incomplete", 1);

    assertThat(status(BenchSummary.combine(Map.of(BenchSummary.SAGA, fallingBehind)).getJsonArray("targets"),
        ">= 500 completed sagas/s")).as("900 more in flight at the end than at the start").isEqualTo(BenchSummary.MISSED);
    assertThat(status(BenchSummary.combine(Map.of(BenchSummary.SAGA, lostSome)).getJsonArray("targets"),
        ">= 500 completed sagas/s")).isEqualTo(BenchSummary.MISSED);
    assertThat(status(BenchSummary.combine(Map.of(BenchSummary.SAGA, fallingBehind)).getJsonArray("targets"),
        "saga completion p99")).as("not at that rate").isEqualTo(BenchSummary.BELOW_CONDITIONS);
  }

  @Test
  void printsOneTableWithTheNumbersRatiosAndTargets() {
    Map<String, JsonObject> parts = new HashMap<>();
    parts.put(BenchSummary.MACHINE, new JsonObject().put("date", "2025-11-25T20:00:00Z").put("commit", "abc1234")
        .put("cores", 2).put("cpu", "Test CPU").put("loadAverageBefore", "3.10").put("loadAverageAfter", "4.20"));
    parts.put(BenchSummary.SAGA, saga(250, 300_000, 40));
    parts.put(BenchSummary.PGBENCH, new JsonObject().put("scriptRunsPerSecond", 1000.0).put("transactionsPerSaga", 19)
        .put("clients", 16).put("failed", 0));
    parts.put(BenchSummary.READ_GATEWAY, read(12_000, 3.2));
    parts.put(BenchSummary.READ_NGINX_STATIC, read(8_000, 2.5));
    parts.put(BenchSummary.READ_GATEWAY_FRESH, read(5_000, 3.9));
    parts.put(BenchSummary.READ_NGINX_DB, read(4_000, 2.5));

    String table = BenchSummary.table(BenchSummary.combine(parts));

    assertThat(table)
        .contains("commit abc1234")
        .contains("completed sagas/s (offered 500/s, 300 s)")
        .contains("1000 pgbench")
        .contains("0.25")
        .contains("12000")
        .contains("8000 nginx")
        .contains("1.50")
        .contains("Cache-Control: no-cache")
        .contains("4000 nginx")
        .contains("1.25")
        .contains("targets (issue 7)")
        .contains(BenchSummary.NOT_MEASURED);
  }

  @Test
  void printsWhereCompletionLatencyStandsAtTheLowerRates() {
    Map<String, JsonObject> parts = new HashMap<>();
    parts.put(BenchSummary.SAGA, saga(500, 300_000, 1400));
    parts.put(BenchSummary.SAGA_LOWER_RATES, new JsonObject().put("runs", new JsonArray()
        .add(saga(100, 60_000, 70).put("offeredRatePerSecond", 100))
        .add(saga(249.8, 60_000, 310).put("offeredRatePerSecond", 250))));

    JsonObject combined = BenchSummary.combine(parts);

    assertThat(BenchSummary.table(combined))
        .contains("at lower rates, completion p50/p99 (ms): 100/s (100 done) 10/70, 250/s (249.8 done) 10/310");
    assertThat(status(combined.getJsonArray("targets"), "saga completion p99")).isEqualTo(BenchSummary.MISSED);
  }

  @Test
  void saysHowLongTheJitWasGivenBeforeTheSagaWindowAndWhetherItSettled() {
    JsonObject warmup = new JsonObject().put("passSeconds", 30).put("rate", 500).put("settledBelow", 0.05)
        .put("passes", new JsonArray().add(new JsonObject().put("jitShare", 0.38)).add(new JsonObject().put("jitShare", 0.04)));
    JsonObject unsettled = warmup.copy().put("passes", new JsonArray().add(new JsonObject().put("jitShare", 0.2)));

    assertThat(BenchSummary.table(BenchSummary.combine(Map.of(BenchSummary.SAGA, saga(500, 300_000, 90),
        BenchSummary.SAGA_JIT_WARMUP, warmup))))
        .contains("before it, 2 passes of 30 s at 500/s until the node's JIT used under 5.0% of a core (38.0%, 4.0%)\n");
    assertThat(BenchSummary.table(BenchSummary.combine(Map.of(BenchSummary.SAGA, saga(500, 300_000, 90),
        BenchSummary.SAGA_JIT_WARMUP, unsettled))))
        .contains("before it, 1 pass of 30 s at 500/s until the node's JIT used under 5.0% of a core (20.0%): not settled, "
            + "the window includes JIT work");
  }

  @Test
  void printsATableForARunThatMeasuredNothing() {
    String table = BenchSummary.table(BenchSummary.combine(Map.of()));

    assertThat(table).contains("saga: not measured").contains(BenchSummary.NOT_MEASURED);
  }

  private static String status(JsonArray targets, String prefix) {
    return targets.stream().map(JsonObject.class::cast).filter(t -> t.getString("target").startsWith(prefix))
        .findFirst().orElseThrow().getString("status");
  }

  private static JsonObject saga(double completedPerSecond, long durationMs, double p99) {
    JsonObject latency = new JsonObject().put("count", 1000).put("p50", 10.0).put("p90", 20.0).put("p99", p99)
        .put("max", 120.0);
    return new JsonObject()
        .put("offeredRatePerSecond", 500)
        .put("durationMs", durationMs)
        .put("windowMs", durationMs)
        .put("completedPerSecond", completedPerSecond)
        .put("acceptedPerSecond", 500.0)
        .put("placements", new JsonObject().put("attempted", 1000).put("accepted", 1000).put("errors", new JsonObject())
            .put("latencyMs", latency))
        .put("completion", new JsonObject().put("completed", 1000).put("incomplete", 0).put("latencyMs", latency))
        .put("outcomes", new JsonObject().put("confirmed", 1000).put("cancelled", 0).put("cancelReasons", new JsonObject()))
        .put("hopsMs", new JsonObject().put("requestToOrderPlaced", latency));
  }

  @Test
  void mergesAReadsRoundsIntoAllItsRequestsOverAllItsTime() {
    JsonObject merged = BenchSummary.mergeRounds(List.of(
        round(400_000, 10_000, 0.5, 2.0, 9.0, 0.6, 1),
        round(200_000, 10_000, 0.9, 4.0, 30.0, 1.0, 0),
        round(300_000, 10_000, 0.6, 3.0, 12.0, 0.7, 2)));

    assertThat(merged.getDouble("requestsPerSecond")).as("900k requests in 30 s").isEqualTo(30_000.0);
    assertThat(merged.getLong("requests")).isEqualTo(900_000L);
    assertThat(merged.getLong("errors")).isEqualTo(3L);
    assertThat(merged.getJsonObject("errorsByKind").getLong("timeout")).isEqualTo(3L);
    assertThat(merged.getJsonArray("roundsRequestsPerSecond")).containsExactly(40_000.0, 20_000.0, 30_000.0);
    JsonObject latency = merged.getJsonObject("latencyMs");
    assertThat(latency.getDouble("p50")).as("the rounds' median").isEqualTo(0.6);
    assertThat(latency.getDouble("p99")).as("no better than the worst round").isEqualTo(4.0);
    assertThat(latency.getDouble("max")).isEqualTo(30.0);
    assertThat(latency.getDouble("mean")).as("weighted by requests").isEqualTo(0.72);
  }

  @Test
  void mergesRoundsThatLackLatenciesWithoutThem() {
    JsonObject bare = new JsonObject().put("durationMs", 10_000).put("requests", 100_000)
        .put("requestsPerSecond", 10_000.0);

    JsonObject merged = BenchSummary.mergeRounds(List.of(bare, bare.copy().put("requestsPerSecond", 0)));

    assertThat(merged.getDouble("requestsPerSecond")).isEqualTo(10_000.0);
    assertThat(merged.getJsonObject("latencyMs").getValue("p99")).isNull();
    assertThat(BenchSummary.perRoundRatios(merged, merged)).as("a zero baseline has no ratio").isEqualTo("1.00 -");
  }

  @Test
  void printsTheRatioOfEachRoundWhenBothReadsWereTakenInTurns() {
    Map<String, JsonObject> parts = new HashMap<>();
    parts.put(BenchSummary.READ_GATEWAY, BenchSummary.mergeRounds(List.of(
        round(400_000, 10_000, 0.5, 2.0, 9.0, 0.6, 0), round(300_000, 10_000, 0.5, 2.0, 9.0, 0.6, 0))));
    parts.put(BenchSummary.READ_NGINX_STATIC, BenchSummary.mergeRounds(List.of(
        round(500_000, 10_000, 0.5, 2.0, 9.0, 0.6, 0), round(250_000, 10_000, 0.5, 2.0, 9.0, 0.6, 0))));

    String table = BenchSummary.table(BenchSummary.combine(parts));

    assertThat(table).contains("ratio in each round (gateway and nginx read in turns): 0.80 1.20");
    assertThat(BenchSummary.combine(parts).getJsonObject("ratios").getDouble("gatewayToNginxFromMemory"))
        .as("700k against 750k requests in the same 20 s").isEqualTo(0.933);
  }

  private static JsonObject round(long requests, long durationMs, double p50, double p99, double max, double mean,
      long timeouts) {
    return new JsonObject().put("tool", "wrk").put("connections", 16).put("durationMs", durationMs)
        .put("requests", requests).put("errors", timeouts)
        .put("errorsByKind", new JsonObject().put("connect", 0).put("timeout", timeouts))
        .put("requestsPerSecond", requests * 1000.0 / durationMs)
        .put("latencyMs", new JsonObject().put("count", requests).put("p50", p50).put("p90", p50 * 2).put("p99", p99)
            .put("max", max).put("mean", mean));
  }

  private static JsonObject read(double requestsPerSecond, double p99) {
    return new JsonObject().put("connections", 16).put("requestsPerSecond", requestsPerSecond)
        .put("latencyMs", new JsonObject().put("p50", 1.0).put("p99", p99).put("max", 20.0));
  }
}
