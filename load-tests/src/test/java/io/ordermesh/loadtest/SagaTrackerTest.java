package io.ordermesh.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The saga benchmark's bookkeeping, on a made-up clock: nanoseconds from 0, the steady window 10 s..20 s. */
class SagaTrackerTest {

  private static final long WINDOW_START = seconds(10);
  private static final long WINDOW_END = seconds(20);

  private final SagaTracker tracker = new SagaTracker(WINDOW_START, WINDOW_END);

  @Test
  void timesCompletionFromTheDueTimeNotFromWhenTheAnswerCame() {
    UUID order = UUID.randomUUID();
    tracker.placed(order, seconds(11), seconds(11) + millis(30));
    tracker.event(order, "OrderPlaced", null, seconds(11) + millis(40));
    tracker.event(order, "StockReserved", null, seconds(11) + millis(60));
    tracker.event(order, "CreditReserved", null, seconds(11) + millis(90));
    tracker.event(order, "OrderConfirmed", null, seconds(11) + millis(100));

    JsonObject report = tracker.report();

    assertThat(report.getJsonObject("completion").getJsonObject("latencyMs").getDouble("p50")).isBetween(99.9, 100.1);
    assertThat(report.getJsonObject("placements").getJsonObject("latencyMs").getDouble("p50")).isBetween(29.9, 30.1);
    JsonObject hops = report.getJsonObject("hopsMs");
    assertThat(hops.getJsonObject("requestToOrderPlaced").getDouble("p50")).isBetween(39.9, 40.1);
    assertThat(hops.getJsonObject("orderPlacedToStockAnswer").getDouble("p50")).isBetween(19.9, 20.1);
    assertThat(hops.getJsonObject("stockAnswerToCreditAnswer").getDouble("p50")).isBetween(29.9, 30.1);
    assertThat(hops.getJsonObject("lastAnswerToOutcome").getDouble("p50")).isBetween(9.9, 10.1);
    assertThat(report.getJsonObject("outcomes").getLong("confirmed")).isEqualTo(1);
  }

  @Test
  void matchesAnOutcomeSeenBeforeThePlacementWasAnswered() {
    UUID order = UUID.randomUUID();
    tracker.event(order, "OrderConfirmed", null, seconds(12) + millis(5));
    tracker.placed(order, seconds(12), seconds(12) + millis(8));

    JsonObject report = tracker.report();

    assertThat(report.getJsonObject("completion").getLong("completed")).isEqualTo(1);
    assertThat(report.getJsonObject("completion").getLong("incomplete")).isZero();
    assertThat(report.getLong("unmatchedEvents")).isZero();
  }

  @Test
  void countsCompletionsPerSecondInsideTheSteadyWindowOnly() {
    for (int i = 0; i < 30; i++) {
      UUID order = UUID.randomUUID();
      long due = seconds(5) + i * millis(500);
      tracker.placed(order, due, due + millis(1));
      tracker.event(order, "OrderConfirmed", null, due + millis(200));
    }

    JsonObject report = tracker.report();

    // Due every 0.5 s from 5 s to 19.5 s, each done 0.2 s later: 20 outcomes fall in 10..20 s.
    assertThat(report.getDouble("completedPerSecond")).isEqualTo(2.0);
    // Measured (due inside the window): the placements due from 10 s to 19.5 s.
    assertThat(report.getJsonObject("completion").getLong("completed")).isEqualTo(20);
    assertThat(report.getDouble("acceptedPerSecond")).isEqualTo(2.0);
  }

  @Test
  void placesEachMeasuredSagaInTheSecondItWasDueSoAStallShowsAsItsOwnSeconds() {
    for (int i = 0; i < 4; i++) {
      UUID order = UUID.randomUUID();
      long due = seconds(10) + i * millis(500);
      tracker.placed(order, due, due);
      // The sagas due in the window's second second waited out a stall of 2 s.
      tracker.event(order, "OrderConfirmed", null, due + (i < 2 ? millis(20) : seconds(2)));
    }

    JsonArray bySecond = tracker.report().getJsonObject("completion").getJsonArray("bySecond");

    assertThat(bySecond).hasSize(2);
    assertThat(bySecond.getJsonObject(0).getLong("second")).isZero();
    assertThat(bySecond.getJsonObject(0).getLong("count")).isEqualTo(2);
    assertThat(bySecond.getJsonObject(0).getDouble("max")).isCloseTo(20.0, within(0.1));
    assertThat(bySecond.getJsonObject(1).getLong("second")).isEqualTo(1);
    assertThat(bySecond.getJsonObject(1).getDouble("p50")).isCloseTo(2000.0, within(2.0));
    assertThat(SagaBenchmark.secondsLine(bySecond, 2))
        .contains("p99 over 100 ms in 1 of 2 s")
        // Worst first; HdrHistogram keeps three significant digits, so 2 s may read 2001.
        .containsPattern("worst \\(s ms\\): 1s 200\\d, 0s 20$");
    assertThat(SagaBenchmark.secondsLine(bySecond, 10)).as("the eight seconds whose sagas never completed count as slow")
        .contains("p99 over 100 ms in 9 of 10 s");
    assertThat(SagaBenchmark.secondsLine(new JsonArray(), 10)).endsWith("no saga due in the window completed");
  }

  @Test
  void reportsWhatNeverEndedAsIncomplete() {
    UUID done = UUID.randomUUID();
    UUID stuck = UUID.randomUUID();
    tracker.placed(done, seconds(11), seconds(11));
    tracker.placed(stuck, seconds(12), seconds(12));
    tracker.event(done, "OrderConfirmed", null, seconds(12));
    tracker.event(stuck, "OrderPlaced", null, seconds(13));

    assertThat(tracker.pending()).isEqualTo(1);
    assertThat(tracker.report().getJsonObject("completion").getLong("incomplete")).isEqualTo(1);
  }

  @Test
  void countsCancellationsByReasonAndIgnoresRepeatedOutcomes() {
    UUID order = UUID.randomUUID();
    tracker.placed(order, seconds(11), seconds(11));
    tracker.event(order, "StockRejected", null, seconds(11) + millis(10));
    tracker.event(order, "OrderCancelled", "OUT_OF_STOCK", seconds(11) + millis(20));
    tracker.event(order, "OrderCancelled", "OUT_OF_STOCK", seconds(11) + millis(500));
    tracker.event(order, "StockReleased", null, seconds(11) + millis(600));

    JsonObject report = tracker.report();

    JsonObject outcomes = report.getJsonObject("outcomes");
    assertThat(outcomes.getLong("cancelled")).isEqualTo(1);
    assertThat(outcomes.getJsonObject("cancelReasons").getLong("OUT_OF_STOCK")).isEqualTo(1);
    assertThat(report.getLong("duplicateOutcomes")).isEqualTo(1);
    assertThat(report.getJsonObject("completion").getJsonObject("latencyMs").getDouble("max")).isBetween(19.9, 20.1);
  }

  @Test
  void countsFailedPlacementsByStatusAndLeavesWarmUpOut() {
    tracker.placementFailed(seconds(11), 503);
    tracker.placementFailed(seconds(11), 503);
    tracker.placementFailed(seconds(12), -1);
    tracker.placementFailed(seconds(1), 500);

    JsonObject placements = tracker.report().getJsonObject("placements");

    assertThat(placements.getLong("attempted")).isEqualTo(3);
    assertThat(placements.getLong("accepted")).isZero();
    assertThat(placements.getJsonObject("errors").getMap()).containsEntry("503", 2L).containsEntry("io", 1L)
        .doesNotContainKey("500");
    assertThat(placements.getLong("errorsOutsideWindow")).isEqualTo(1);
  }

  @Test
  void followsPreWarmSagasWithoutMeasuringThem() {
    SagaTracker late = new SagaTracker();
    UUID warming = UUID.randomUUID();
    late.placed(warming, seconds(1), seconds(1));
    assertThat(late.pending()).isEqualTo(1);
    late.event(warming, "OrderConfirmed", null, seconds(2));
    late.window(WINDOW_START, WINDOW_END);
    UUID measured = UUID.randomUUID();
    late.placed(measured, seconds(11), seconds(11));
    late.event(measured, "OrderConfirmed", null, seconds(12));

    JsonObject report = late.report();

    assertThat(late.pending()).isZero();
    assertThat(report.getJsonObject("completion").getLong("completed")).isEqualTo(1);
    assertThat(report.getLong("unmatchedEvents")).isZero();
  }

  @Test
  void countsEventsOfOrdersItNeverPlacedAsUnmatched() {
    tracker.event(UUID.randomUUID(), "OrderConfirmed", null, seconds(11));

    assertThat(tracker.report().getLong("unmatchedEvents")).isEqualTo(1);
  }

  private static long seconds(long s) {
    return TimeUnit.SECONDS.toNanos(s);
  }

  private static long millis(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }
}
