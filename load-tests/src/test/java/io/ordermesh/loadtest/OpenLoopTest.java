package io.ordermesh.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The open-loop driver against made-up servers: what it sends, and what it charges them. */
class OpenLoopTest {

  private static final int RATE = 200;
  private static final Duration RUN = Duration.ofMillis(500);
  private static final int SCHEDULED = 100;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void sendsEveryScheduledRequestOnceAndRecordsEachAnswer() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    long answerAfterMs = 20;

    OpenLoop.Result result = await(new OpenLoop(vertx).run(RATE, RUN, () -> {
      sent.incrementAndGet();
      Promise<Integer> answer = Promise.promise();
      vertx.setTimer(answerAfterMs, t -> answer.complete(200));
      return answer.future();
    }));

    assertThat(sent).hasValue(SCHEDULED);
    assertThat(result.count()).isEqualTo(SCHEDULED);
    assertThat(result.errors()).isZero();
    assertThat(result.latencies().getMinValue()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(answerAfterMs));
  }

  @Test
  void keepsSendingWhileNothingIsAnsweredAndChargesTheServerTheWholeStall() throws Exception {
    // A server that answers nothing until the last request has arrived: a closed loop would wait for
    // the first answer forever (this test would hang); the open loop sends on schedule and the first
    // request, due at the start, is charged for the whole run.
    List<Promise<Integer>> held = new ArrayList<>();

    OpenLoop.Result result = await(new OpenLoop(vertx).run(RATE, RUN, () -> {
      Promise<Integer> answer = Promise.promise();
      held.add(answer);
      if (held.size() == SCHEDULED) {
        held.forEach(p -> p.complete(200));
      }
      return answer.future();
    }));

    long lastDueNanos = TimeUnit.SECONDS.toNanos(1) / RATE * (SCHEDULED - 1);
    assertThat(result.count()).isEqualTo(SCHEDULED);
    assertThat(result.latencies().getMaxValue()).isGreaterThanOrEqualTo(lastDueNanos);
  }

  @Test
  void countsServerErrorsAndLostRequestsButNotClientErrors() throws Exception {
    AtomicInteger sent = new AtomicInteger();

    OpenLoop.Result result = await(new OpenLoop(vertx).run(RATE, RUN, () -> switch (sent.getAndIncrement() % 4) {
      case 0 -> Future.succeededFuture(503);
      case 1 -> Future.failedFuture("connection reset");
      case 2 -> Future.succeededFuture(404);
      default -> Future.succeededFuture(200);
    }));

    assertThat(result.count()).isEqualTo(SCHEDULED);
    assertThat(result.errors()).isEqualTo(SCHEDULED / 2);
  }

  @Test
  void endsFailedWhenVertxClosesUnderTheRun() throws Exception {
    Vertx closing = Vertx.vertx();
    Future<OpenLoop.Result> run = new OpenLoop(closing).run(RATE, Duration.ofSeconds(30), () -> Future.succeededFuture(200));
    closing.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    Throwable failure = run.toCompletionStage().toCompletableFuture().handle((result, error) -> error)
        .get(10, TimeUnit.SECONDS);

    assertThat(failure).isNotNull();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
