package io.ordermesh.loadtest;

import io.ordermesh.events.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Follows the sagas a benchmark starts, from the placements' answers and the saga's events as the
 * driver sees them on Kafka, and turns them into a report: completions per second over the steady
 * window, completion latency from each placement's due time to its outcome, the time each hop of the
 * saga took, outcomes, and what never finished.
 *
 * <p>A saga is <em>measured</em> when its placement was due inside the steady window (after warm-up);
 * latencies, outcomes and incomplete counts are about measured sagas only. Throughput counts every
 * outcome of this run that happened inside the window, whichever saga it belongs to: it is a rate.
 *
 * <p>Pure bookkeeping, no clock of its own: callers pass {@link System#nanoTime()} readings. Not
 * thread-safe: feed it from one event loop.
 */
public final class SagaTracker {

  /** Latencies are kept in microseconds up to this; longer ones are clamped (the saga deadline is far below). */
  static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);
  private static final int PRECISION = 3;
  static final String TRANSPORT_ERROR = "io";

  private long steadyStart = Long.MAX_VALUE;
  private long steadyEnd = Long.MAX_VALUE;
  private final Map<UUID, Saga> sagas = new HashMap<>();
  /** Events of orders whose placement answer has not arrived yet (or never will: not ours). */
  private final Map<UUID, List<Seen>> early = new HashMap<>();
  private final Map<String, Long> placementErrors = new TreeMap<>();
  private final Histogram placementLatency = histogram();
  private long attemptedMeasured;
  private long acceptedMeasured;
  private long duplicateOutcomes;
  private long unmeasuredPlacementErrors;

  /** A tracker whose steady window is not set yet: until {@link #window} is called nothing is measured. */
  public SagaTracker() {
  }

  /** @param steadyStartNanos start of the steady window; @param steadyEndNanos its end (exclusive) */
  public SagaTracker(long steadyStartNanos, long steadyEndNanos) {
    window(steadyStartNanos, steadyEndNanos);
  }

  /**
   * Sets the steady window, before any placement due in it; sagas placed earlier (a pre-warm phase) are
   * followed, so their events are recognised, but not measured.
   */
  public void window(long steadyStartNanos, long steadyEndNanos) {
    if (steadyEndNanos <= steadyStartNanos) {
      throw new IllegalArgumentException("the steady window must not be empty");
    }
    this.steadyStart = steadyStartNanos;
    this.steadyEnd = steadyEndNanos;
  }

  /** A placement was answered 202 with {@code orderId}. */
  public void placed(UUID orderId, long dueNanos, long answeredNanos) {
    Saga saga = new Saga(dueNanos);
    sagas.put(orderId, saga);
    if (measured(dueNanos)) {
      attemptedMeasured++;
      acceptedMeasured++;
      placementLatency.recordValue(micros(answeredNanos - dueNanos));
    }
    List<Seen> before = early.remove(orderId);
    if (before != null) {
      before.forEach(seen -> apply(saga, seen));
    }
  }

  /** A placement was answered with another status, or not at all ({@code status} &lt; 0). */
  public void placementFailed(long dueNanos, int status) {
    if (measured(dueNanos)) {
      attemptedMeasured++;
      placementErrors.merge(status < 0 ? TRANSPORT_ERROR : Integer.toString(status), 1L, Long::sum);
    } else {
      unmeasuredPlacementErrors++;
    }
  }

  /**
   * A saga event was seen on Kafka at {@code seenNanos}.
   *
   * @param type the event's wire name ({@code type} header), e.g. {@code OrderConfirmed}
   * @param reason the cancellation reason of an {@code OrderCancelled}, else null
   */
  public void event(UUID orderId, String type, String reason, long seenNanos) {
    Seen seen = new Seen(type, reason, seenNanos);
    Saga saga = sagas.get(orderId);
    if (saga == null) {
      early.computeIfAbsent(orderId, id -> new ArrayList<>(4)).add(seen);
    } else {
      apply(saga, seen);
    }
  }

  /** Sagas that were accepted and have no outcome yet, measured or not. */
  public long pending() {
    return sagas.values().stream().filter(s -> s.outcomeAt < 0).count();
  }

  private void apply(Saga saga, Seen seen) {
    EventType type = EventType.fromWireName(seen.type()).orElse(null);
    if (type == null) {
      return;
    }
    switch (type) {
      case ORDER_PLACED -> saga.placedAt = firstOf(saga.placedAt, seen.at());
      case STOCK_RESERVED, STOCK_REJECTED -> saga.stockAt = firstOf(saga.stockAt, seen.at());
      case CREDIT_RESERVED, CREDIT_REJECTED -> saga.creditAt = firstOf(saga.creditAt, seen.at());
      case ORDER_CONFIRMED, ORDER_CANCELLED -> {
        if (saga.outcomeAt >= 0) {
          duplicateOutcomes++;
        } else {
          saga.outcomeAt = seen.at();
          saga.outcome = type == EventType.ORDER_CONFIRMED ? "CONFIRMED" : "CANCELLED";
          saga.reason = seen.reason();
        }
      }
      default -> {
        // Compensation events (StockReleased, CreditReleased) come after the outcome: not part of completion.
      }
    }
  }

  private static long firstOf(long current, long at) {
    return current < 0 ? at : Math.min(current, at);
  }

  private boolean measured(long dueNanos) {
    return dueNanos >= steadyStart && dueNanos < steadyEnd;
  }

  /** Everything measured so far, as the benchmark reports it. */
  public JsonObject report() {
    Histogram completion = histogram();
    Histogram toPlaced = histogram();
    Histogram toStock = histogram();
    Histogram toCredit = histogram();
    Histogram toOutcome = histogram();
    Map<Long, Histogram> completionBySecond = new TreeMap<>();
    long outcomesInWindow = 0;
    long incomplete = 0;
    long confirmed = 0;
    Map<String, Long> cancelled = new TreeMap<>();
    for (Saga saga : sagas.values()) {
      if (saga.outcomeAt >= steadyStart && saga.outcomeAt < steadyEnd) {
        outcomesInWindow++;
      }
      if (!measured(saga.due)) {
        continue;
      }
      if (saga.outcomeAt < 0) {
        incomplete++;
        continue;
      }
      completion.recordValue(micros(saga.outcomeAt - saga.due));
      completionBySecond.computeIfAbsent(TimeUnit.NANOSECONDS.toSeconds(saga.due - steadyStart), s -> histogram())
          .recordValue(micros(saga.outcomeAt - saga.due));
      if ("CONFIRMED".equals(saga.outcome)) {
        confirmed++;
      } else {
        cancelled.merge(saga.reason == null ? "UNKNOWN" : saga.reason, 1L, Long::sum);
      }
      hop(toPlaced, saga.due, saga.placedAt);
      hop(toStock, saga.placedAt, saga.stockAt);
      hop(toCredit, saga.stockAt, saga.creditAt);
      hop(toOutcome, Math.max(saga.stockAt, saga.creditAt), saga.outcomeAt);
    }
    double windowSeconds = (steadyEnd - steadyStart) / 1e9;
    long unmatched = early.values().stream().mapToLong(List::size).sum();
    return new JsonObject()
        .put("windowMs", TimeUnit.NANOSECONDS.toMillis(steadyEnd - steadyStart))
        .put("completedPerSecond", round(outcomesInWindow / windowSeconds))
        .put("acceptedPerSecond", round(acceptedMeasured / windowSeconds))
        .put("placements", new JsonObject()
            .put("attempted", attemptedMeasured)
            .put("accepted", acceptedMeasured)
            .put("errors", new JsonObject(new TreeMap<String, Object>(placementErrors)))
            .put("errorsOutsideWindow", unmeasuredPlacementErrors)
            .put("latencyMs", percentiles(placementLatency)))
        .put("completion", new JsonObject()
            .put("completed", completion.getTotalCount())
            .put("incomplete", incomplete)
            .put("latencyMs", percentiles(completion))
            .put("bySecond", bySecond(completionBySecond)))
        .put("outcomes", new JsonObject()
            .put("confirmed", confirmed)
            .put("cancelled", cancelled.values().stream().mapToLong(Long::longValue).sum())
            .put("cancelReasons", new JsonObject(new TreeMap<String, Object>(cancelled))))
        .put("hopsMs", new JsonObject()
            .put("requestToOrderPlaced", percentiles(toPlaced))
            .put("orderPlacedToStockAnswer", percentiles(toStock))
            .put("stockAnswerToCreditAnswer", percentiles(toCredit))
            .put("lastAnswerToOutcome", percentiles(toOutcome)))
        .put("duplicateOutcomes", duplicateOutcomes)
        .put("unmatchedEvents", unmatched);
  }

  /**
   * Completion latency per second of the window, by due time: whether a tail came from a few stalls
   * (some seconds far worse than the rest) or from steady queueing (every second alike).
   */
  private static JsonArray bySecond(Map<Long, Histogram> completionBySecond) {
    JsonArray seconds = new JsonArray();
    completionBySecond.forEach((second, micros) -> seconds.add(percentiles(micros).put("second", second)));
    return seconds;
  }

  /** Records {@code to - from} when both happened; a negative gap (seen out of order across topics) counts as 0. */
  private static void hop(Histogram histogram, long from, long to) {
    if (from >= 0 && to >= 0) {
      histogram.recordValue(micros(Math.max(0, to - from)));
    }
  }

  /** p50/p90/p99/max and the count, in milliseconds; all zero for an empty histogram. */
  static JsonObject percentiles(Histogram micros) {
    return new JsonObject()
        .put("count", micros.getTotalCount())
        .put("p50", millis(micros.getValueAtPercentile(50)))
        .put("p90", millis(micros.getValueAtPercentile(90)))
        .put("p99", millis(micros.getValueAtPercentile(99)))
        .put("max", millis(micros.getMaxValue()));
  }

  static Histogram histogram() {
    return new Histogram(MAX_MICROS, PRECISION);
  }

  static long micros(long nanos) {
    return Math.min(MAX_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
  }

  private static double millis(long micros) {
    return round(micros / 1000.0);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private record Seen(String type, String reason, long at) {
  }

  /** One saga's timestamps (nanoTime; -1 = not seen yet). */
  private static final class Saga {
    final long due;
    long placedAt = -1;
    long stockAt = -1;
    long creditAt = -1;
    long outcomeAt = -1;
    String outcome;
    String reason;

    Saga(long due) {
      this.due = due;
    }
  }
}
