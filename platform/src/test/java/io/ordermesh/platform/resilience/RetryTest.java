package io.ordermesh.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries transient failures only, and only as many as the budget allows. */
class RetryTest {

  private static final Backoff QUICK = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2));

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());
  private final AtomicInteger attempts = new AtomicInteger();

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void retriesATransientFailureUntilItPasses() throws Exception {
    Retry retry = new Retry(vertx, 3, QUICK, error -> true, budget());

    String answer = await(retry.call(() -> attempts.incrementAndGet() < 3
        ? Future.failedFuture(new IllegalStateException("busy")) : Future.succeededFuture("sent")));

    assertThat(answer).isEqualTo("sent");
    assertThat(attempts).hasValue(3);
    assertThat(retry.retries()).as("counted for the dependency's metrics").hasValue(2);
  }

  @Test
  void neverRetriesAFailureThatIsNotTransient() throws Exception {
    Retry retry = new Retry(vertx, 3, QUICK, error -> false, budget());

    callAlwaysFailing(retry);

    assertThat(attempts).hasValue(1);
  }

  @Test
  void stopsRetryingWhenTheBudgetIsSpent() throws Exception {
    Retry retry = new Retry(vertx, 3, QUICK, error -> true, budget());

    for (int i = 0; i < 10; i++) {
      callAlwaysFailing(retry);
    }

    // Ten calls buy max(3, 20% of 10) = 3 retries in the window, not the 20 three attempts each would make.
    assertThat(attempts).hasValue(10 + 3);
    assertThat(retry.retries()).hasValue(3);
    // Every other failed attempt before the last wanted a retry: the second call's second, and one per later call.
    assertThat(retry.retriesDenied()).hasValue(1 + 8);
  }

  private RetryBudget budget() {
    return new RetryBudget(0.2, Duration.ofSeconds(10), nanos::get);
  }

  private void callAlwaysFailing(Retry retry) throws Exception {
    Future<String> call = retry.call(() -> {
      attempts.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("down"));
    });
    await(call.otherwiseEmpty());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
