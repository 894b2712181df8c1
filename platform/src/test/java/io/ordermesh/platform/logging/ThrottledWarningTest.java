package io.ordermesh.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledWarningTest {

  /** Keeps each event's MDC as it was when logged: {@link LogContext} clears it right after. */
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      super.append(event);
    }
  };
  private final Logger log = (Logger) LoggerFactory.getLogger(ThrottledWarningTest.class);
  private final AtomicLong now = new AtomicLong();
  private final ThrottledWarning late = new ThrottledWarning(log, Duration.ofSeconds(10), now::get);

  @BeforeEach
  void capture() {
    logged.start();
    log.addAppender(logged);
  }

  @AfterEach
  void release() {
    log.detachAppender(logged);
  }

  @Test
  void logsTheFirstThenOneLinePerIntervalSayingHowManyWereHeldBack() {
    for (int i = 0; i < 1_000; i++) {      // a thousand a second for ten seconds
      late.warn(LogContext.of("order", "c-" + i), "request {} arrived late", i);
      now.addAndGet(Duration.ofMillis(10).toNanos());
    }
    late.warn(LogContext.of("order", "c-last"), "request {} arrived late", "last");

    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "request 0 arrived late",
        "request last arrived late (999 more like this since the line before, not logged)");
    assertThat(logged.list).extracting(e -> e.getMDCPropertyMap().get(LogContext.CORRELATION_ID))
        .as("each line names the request it reports").containsExactly("c-0", "c-last");
  }

  @Test
  void aWarningAfterAQuietIntervalIsLoggedAtOnceAndAlone() {
    late.warn(LogContext.of("order", "a"), "late");
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    late.warn(LogContext.of("order", "b"), "late");
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    late.warn(LogContext.of("order", "c"), "late");

    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("late", "late");
  }
}
