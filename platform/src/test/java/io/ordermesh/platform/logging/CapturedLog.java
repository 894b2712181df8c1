package io.ordermesh.platform.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * A logger whose events a test reads back, each with its MDC as it was when logged ({@link LogContext}
 * clears it right after). Register with {@code @RegisterExtension}.
 */
final class CapturedLog implements BeforeEachCallback, AfterEachCallback {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      super.append(event);
    }
  };

  CapturedLog(Class<?> test) {
    this.logger = (Logger) LoggerFactory.getLogger(test);
  }

  Logger logger() {
    return logger;
  }

  List<ILoggingEvent> events() {
    return events.list;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    events.start();
    logger.addAppender(events);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.detachAppender(events);
  }
}
