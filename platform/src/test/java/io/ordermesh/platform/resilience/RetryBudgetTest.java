package io.ordermesh.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Retries at most a share of the calls of the last window, whatever happened before it. */
class RetryBudgetTest {

  private final AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());
  private final RetryBudget budget = new RetryBudget(0.2, Duration.ofSeconds(10), nanos::get);

  @Test
  void allowsRetriesUpToTheShareOfCallsInTheWindow() {
    calls(100);

    assertThat(retriesGranted(50)).isEqualTo(20);
  }

  @Test
  void alwaysAllowsAFewRetriesToAQuietDependency() {
    calls(1);

    assertThat(retriesGranted(10)).isEqualTo(3);
  }

  @Test
  void forgetsCallsOlderThanTheWindow() {
    calls(1000);
    // 15 s on: past the window, and onto another bucket of the ring than the burst's (a whole number
    // of windows later would land on the very bucket, which is reset when its second comes round).
    later(Duration.ofSeconds(15));

    assertThat(retriesGranted(50)).as("a burst of calls 15 s ago buys no retries now").isEqualTo(3);
  }

  @Test
  void forgetsRetriesOlderThanTheWindow() {
    calls(10);
    retriesGranted(3);
    later(Duration.ofSeconds(15));
    calls(100);

    assertThat(retriesGranted(50)).as("retries 15 s old do not spend the budget now").isEqualTo(20);
  }

  @Test
  void countsCallsSpreadOverTheWindow() {
    for (int second = 0; second < 10; second++) {
      calls(10);
      later(Duration.ofSeconds(1));
    }
    later(Duration.ofMillis(-1));

    assertThat(retriesGranted(50)).isEqualTo(20);
  }

  @Test
  void worksWhereTheClockReadsBelowZero() {
    // System.nanoTime() has an arbitrary origin: on some machines it reads negative.
    AtomicLong negative = new AtomicLong(-Duration.ofHours(1).toNanos() - 3);
    RetryBudget early = new RetryBudget(0.2, Duration.ofSeconds(10), negative::get);
    IntStream.range(0, 100).forEach(i -> early.recordCall());

    assertThat(IntStream.range(0, 50).filter(i -> early.tryRetry()).count()).isEqualTo(20);
  }

  private void calls(int count) {
    IntStream.range(0, count).forEach(i -> budget.recordCall());
  }

  private int retriesGranted(int attempts) {
    return (int) IntStream.range(0, attempts).filter(i -> budget.tryRetry()).count();
  }

  private void later(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
