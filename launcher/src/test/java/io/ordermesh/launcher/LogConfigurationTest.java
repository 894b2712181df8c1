package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** What a command's log lines look like on stderr, in each format, with the correlation id they carry. */
class LogConfigurationTest {

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final LoggerContext context = new LoggerContext();
  private PrintStream realStderr;

  @BeforeEach
  void captureStderr() {
    // As SLF4J's Logback provider does for the context it makes: MDC.put must reach this context's events.
    context.setMDCAdapter(MDC.getMDCAdapter());
    realStderr = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(realStderr);
    MDC.clear();
  }

  @Test
  void textLinesEndWithTheCorrelationIdWhenThereIsOne() {
    LogConfiguration.apply(context, false, "node-a");

    MDC.put("correlationId", "corr-1");
    context.getLogger("io.ordermesh.order.OrderVerticle").info("order {} CONFIRMED", "o-1");
    MDC.remove("correlationId");
    context.getLogger("io.ordermesh.order.OrderVerticle").info("no request here");
    context.stop();

    assertThat(stderr.toString(StandardCharsets.UTF_8).lines().toList()).satisfiesExactly(
        line -> assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  OrderVerticle +order o-1 CONFIRMED \\[corr-1]"),
        line -> assertThat(line).endsWith("OrderVerticle            no request here"));
  }

  @Test
  void jsonLinesAreObjectsWithTheMdcTheAppAndTheNode() {
    LogConfiguration.apply(context, true, "node \"a\"");

    MDC.put("correlationId", "corr-2");
    context.getLogger("io.ordermesh.order.OrderVerticle").warn("order {} CANCELLED", "o-2");
    context.stop();

    JsonObject line = new JsonObject(stderr.toString(StandardCharsets.UTF_8).strip());
    assertThat(line.getString("message")).isEqualTo("order o-2 CANCELLED");
    assertThat(line.getString("level")).isEqualTo("WARN");
    assertThat(line.getString("correlationId")).isEqualTo("corr-2");
    assertThat(line.getString("app")).isEqualTo("ordermesh");
    assertThat(line.getString("node")).isEqualTo("node \"a\"");
  }

  @Test
  void chattyLibrariesLogOnlyTheirWarnings() {
    LogConfiguration.apply(context, false, "node-a");

    assertThat(context.getLogger("org.apache.kafka.clients.NetworkClient").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("com.hazelcast.cluster").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.ordermesh.order").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getEffectiveLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void flywaysOutOfOrderNoticeIsDroppedAndItsOtherWarningsAreKept() {
    LogConfiguration.apply(context, false, "node-a");

    var migrate = context.getLogger("org.flywaydb.core.internal.command.DbMigrate");
    migrate.warn("outOfOrder mode is active. Migration of schema \"order\" may not be reproducible.");
    migrate.warn("Schema \"order\" has a version (9) that is newer than the latest available migration (3) !");
    context.stop();

    assertThat(stderr.toString(StandardCharsets.UTF_8).lines().toList()).singleElement()
        .satisfies(line -> assertThat(line).contains("newer than the latest available migration"));
  }
}
