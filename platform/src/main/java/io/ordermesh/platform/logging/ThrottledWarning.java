package io.ordermesh.platform.logging;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning that can come many times a second (every request that reaches a service after its caller
 * gave up, while the service is overloaded): the first is logged, then the first to come at least
 * {@code every} after the line before, saying how many like it were held back in between (a count
 * held back is told with the next line, however late that is). An overloaded service writing a
 * line per request only adds to its load and buries the lines that say why; a counter next to the
 * warning keeps the exact number.
 *
 * <p>Each logged line carries the correlation id of the occurrence it reports. Call on one thread (the
 * service's event loop).
 */
public final class ThrottledWarning {

  private final Logger log;
  private final long everyNanos;
  private final LongSupplier nanoTime;
  private boolean loggedAny;
  private long loggedAt;
  private long heldBack;

  public ThrottledWarning(Logger log, Duration every) {
    this(log, every, System::nanoTime);
  }

  ThrottledWarning(Logger log, Duration every, LongSupplier nanoTime) {
    this.log = log;
    this.everyNanos = every.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Logs the warning through {@code context}, unless one was logged less than {@code every} ago. The
   * count goes last among the arguments: a trailing throwable would not be logged as one.
   */
  public void warn(LogContext context, String format, Object... arguments) {
    long now = nanoTime.getAsLong();
    if (loggedAny && now - loggedAt < everyNanos) {
      heldBack++;
      return;
    }
    if (heldBack == 0) {
      context.warn(log, format, arguments);
    } else {
      Object[] withCount = Arrays.copyOf(arguments, arguments.length + 1);
      withCount[arguments.length] = heldBack;
      context.warn(log, format + " ({} more like this since the line before, not logged)", withCount);
    }
    loggedAny = true;
    loggedAt = now;
    heldBack = 0;
  }
}
