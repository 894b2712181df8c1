package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.platform.resilience.Rejected;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a 503 tells its client to come back: the wait its cause knows of, in whole seconds. */
class HttpProblemTest {

  private static final Duration FALLBACK = Duration.ofSeconds(1);

  @Test
  void anOpenBreakerSaysHowLongUntilItLetsAProbeThrough() {
    Rejected open = Rejected.breakerOpen(Duration.ofSeconds(10));

    HttpProblem problem = new HttpProblem(503, open.reason(), "Service unavailable", open.getMessage())
        .retryAfter(open.retryAfter());

    assertThat(problem.retryAfterSeconds(FALLBACK)).isEqualTo(10);
    assertThat(problem.slug()).isEqualTo("breaker-open");
  }

  @Test
  void roundsUpToWholeSecondsAndFallsBackWhenTheCauseKnowsNoWait() {
    HttpProblem timeout = new HttpProblem(504, "upstream-timeout", "Upstream timeout", "slow");

    assertThat(timeout.retryAfter(Duration.ofMillis(1500)).retryAfterSeconds(FALLBACK)).isEqualTo(2);
    assertThat(timeout.retryAfter(Duration.ZERO).retryAfterSeconds(FALLBACK)).as("never 0").isEqualTo(1);
    assertThat(timeout.retryAfterSeconds(FALLBACK)).isEqualTo(1);
  }
}
