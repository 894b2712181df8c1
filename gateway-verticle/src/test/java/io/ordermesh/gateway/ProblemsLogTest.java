package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ordermesh.platform.resilience.Rejected;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A 5xx is logged by what it says: a rejection by an open breaker is no error (a flood of them would
 * bury the one line that matters), a dependency's timeout is a warning, a fault is an error with its trace.
 */
class ProblemsLogTest {

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger problems = (Logger) LoggerFactory.getLogger(Problems.class);
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() {
    logged.start();
    problems.addAppender(logged);
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(Correlation::assign);
    router.route().failureHandler(Problems::handle);
    router.get("/rejected").handler(ctx -> ctx.fail(Rejected.breakerOpen(Duration.ofSeconds(10))));
    router.get("/timeout").handler(ctx -> ctx.fail(new ReplyException(ReplyFailure.TIMEOUT, "Timed out")));
    router.get("/bug").handler(ctx -> ctx.fail(new IllegalStateException("a bug")));
    server = vertx.createHttpServer().requestHandler(router).listen(0).await();
  }

  @AfterEach
  void stop() {
    problems.detachAppender(logged);
    vertx.close().await();
  }

  @Test
  void aRejectionIsNoErrorATimeoutAWarningAndAFaultAnErrorWithItsTrace() throws Exception {
    assertThat(get("/rejected")).isEqualTo(503);
    assertThat(get("/timeout")).isEqualTo(504);
    assertThat(get("/bug")).isEqualTo(500);

    assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).satisfiesExactly(
        timeout -> assertThat(timeout.getLevel()).isEqualTo(Level.WARN),
        bug -> {
          assertThat(bug.getLevel()).isEqualTo(Level.ERROR);
          assertThat(bug.getThrowableProxy().getMessage()).isEqualTo("a bug");
        });
  }

  private int get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
