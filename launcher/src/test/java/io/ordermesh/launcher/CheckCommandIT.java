package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ordermesh check} against a running node: the invariants of the customers named hold (exit 0,
 * the report on stdout, a summary on stderr), and a report that does not come in time is said to be
 * late, with what to do, not taken for a violation.
 */
class CheckCommandIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final WholeNode system = new WholeNode();
  private static final TestWorld world = system.world();

  @Test
  void checksTheNamedCustomersOrdersAndSaysSoOnStderr() {
    String token = TestWorld.token(world.rich);
    String orderId = new JsonObject(system.api().placeOrder(token, TestWorld.order(world.cheapSku, 1)).body())
        .getString("orderId");
    await().atMost(TIMEOUT).until(() -> system.api().getJson(token, "/api/v1/orders/" + orderId).getString("status"),
        "CONFIRMED"::equals);

    Run run = check("--customer", world.rich, "--customer", world.poor);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(new JsonObject(run.out()).getInteger("checkedOrders")).isEqualTo(1);
    assertThat(run.err()).contains("OK: 1 orders checked, 0 violations");
  }

  @Test
  void aReportThatComesTooLateIsNotAViolation() {
    Run run = check("--timeout", "1ms");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no report").contains("--timeout");
  }

  private record Run(int exitCode, String out, String err) {
  }

  private static synchronized Run check(String... options) {
    String[] args = new String[options.length + 5];
    args[0] = "check";
    args[1] = "--url";
    args[2] = "http://127.0.0.1:" + system.node().httpPort();
    args[3] = "--jwt-secret";
    args[4] = TestNodes.TEST_SECRET;
    System.arraycopy(options, 0, args, 5, options.length);
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      // As the launcher runs it: Main's command line (its enum and default-value settings).
      int exitCode = Main.commandLine(args).execute(args);
      return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(realOut);
      System.setErr(realErr);
    }
  }
}
