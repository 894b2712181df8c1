package io.ordermesh.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FailureStreakTest {

  @RegisterExtension
  final CapturedLog logged = new CapturedLog(FailureStreakTest.class);
  private final AtomicLong now = new AtomicLong();
  private final FailureStreak streak =
      new FailureStreak(logged.logger(), "the round", Duration.ofSeconds(30), now::get);

  @Test
  void saysAStreakBeganThenHowItGoesEveryIntervalThenThatItEnded() {
    IOException down = new IOException("Connection refused");
    for (int i = 0; i < 150; i++) {       // 200 ms apart: 30 s of a database that is down
      streak.failed(down);
      now.addAndGet(Duration.ofMillis(200).toNanos());
    }
    streak.failed(down);
    streak.succeeded();
    streak.succeeded();

    assertThat(logged.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "the round failed, will retry: java.io.IOException: Connection refused",
        "the round still failing (150 attempts since the last line), will retry: java.io.IOException: Connection refused",
        "the round works again after 151 failed attempts");
  }

  @Test
  void aNewStreakIsReportedAtOnce() {
    streak.failed(new IOException("a"));
    streak.succeeded();
    streak.failed(new IOException("b"));

    assertThat(logged.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "the round failed, will retry: java.io.IOException: a", "the round works again after 1 failed attempts",
        "the round failed, will retry: java.io.IOException: b");
  }
}
