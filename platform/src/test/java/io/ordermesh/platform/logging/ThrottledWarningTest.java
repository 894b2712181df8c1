package io.ordermesh.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ThrottledWarningTest {

  @RegisterExtension
  final CapturedLog logged = new CapturedLog(ThrottledWarningTest.class);
  private final AtomicLong now = new AtomicLong();
  private final ThrottledWarning late = new ThrottledWarning(logged.logger(), Duration.ofSeconds(10), now::get);

  @Test
  void logsTheFirstThenOneLinePerIntervalSayingHowManyWereHeldBack() {
    for (int i = 0; i < 1_000; i++) {      // a thousand a second for ten seconds
      late.warn(LogContext.of("order", "c-" + i), "request {} arrived late", i);
      now.addAndGet(Duration.ofMillis(10).toNanos());
    }
    late.warn(LogContext.of("order", "c-last"), "request {} arrived late", "last");

    assertThat(logged.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "request 0 arrived late",
        "request last arrived late (999 more like this since the line before, not logged)");
    assertThat(logged.events()).extracting(e -> e.getMDCPropertyMap().get(LogContext.CORRELATION_ID))
        .as("each line names the request it reports").containsExactly("c-0", "c-last");
  }

  @Test
  void aWarningAfterAQuietIntervalIsLoggedAtOnceAndAlone() {
    late.warn(LogContext.of("order", "a"), "late");
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    late.warn(LogContext.of("order", "b"), "late");
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    late.warn(LogContext.of("order", "c"), "late");

    assertThat(logged.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly("late", "late");
  }
}
