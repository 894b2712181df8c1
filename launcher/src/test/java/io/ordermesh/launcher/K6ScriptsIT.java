package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The k6 scripts against a live node. k6 cannot be installed here, so each script's setup, default
 * function and teardown run under Node with a shim of the k6 API ({@code load-tests/k6-shim}: the same
 * requests, checks and custom metrics, HTTP made synchronous as k6 makes it), a few iterations on one
 * virtual user, and every check the script makes must pass. Arrival rates, stages and thresholds are
 * k6's to apply and are not exercised here.
 */
class K6ScriptsIT {

  private static final Path LOAD_TESTS = Path.of("..", "load-tests");
  private static final int ITERATIONS = 2;
  private static final int LOAD_CUSTOMERS = 3;
  private static final long RUN_TIMEOUT_SECONDS = 120;
  private static final TestWorld world = new TestWorld();
  private static OrdermeshNode node;

  @BeforeAll
  static void startANodeSeededAsTheScriptsExpect() {
    assumeTrue(nodeAvailable(), "node is not installed");
    JsonArray customers = world.seed().getJsonArray("customers").copy().add(customer("alice"));
    for (int n = 1; n <= LOAD_CUSTOMERS; n++) {
      customers.add(customer("load-" + n));
    }
    node = TestNodes.start(TestNodes.shared(), Service.all(), Optional.empty(),
        world.seed().put("customers", customers));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      TestNodes.join(node.stop());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"smoke.js", "order-flow.js", "spike.js", "soak.js", "breaker-demo.js"})
  void passesEveryCheckItMakes(String script) throws Exception {
    JsonObject run = run(script);

    JsonObject checks = run.getJsonObject("checks");
    assertThat(checks.fieldNames()).as("%s makes checks", script).isNotEmpty();
    checks.forEach(check -> assertThat(((JsonObject) check.getValue()).getInteger("fails"))
        .as("%s: check '%s'", script, check.getKey()).isZero());
    assertThat(run.getInteger("httpReqs")).isPositive();
  }

  @Test
  void followsEachPlacedOrderToItsConfirmation() throws Exception {
    JsonObject run = run("order-flow.js");

    assertThat(run.getJsonObject("checks").getJsonObject("saga confirmed").getInteger("passes")).isEqualTo(ITERATIONS);
    assertThat(run.getJsonObject("metrics").getJsonObject("saga_completion_ms").getInteger("count"))
        .isEqualTo(ITERATIONS);
  }

  @Test
  void theBreakerDemoInjectsItsFaultAndEndsItInTeardown() throws Exception {
    JsonObject run = run("breaker-demo.js");

    assertThat(run.getJsonObject("checks").getJsonObject("fault injected").getInteger("passes")).isEqualTo(1);
    String admin = TestWorld.token("k6-check", "admin");
    var faults = new Api(node.httpPort()).get(admin, "/admin/faults");
    assertThat(new JsonObject(faults.body()).getJsonArray("faults")).as("teardown deleted the fault").isEmpty();
  }

  /** One script's lifecycle under the shim; the runner's summary line, or a failure with its output. */
  private static JsonObject run(String script) throws IOException, InterruptedException {
    File errors = File.createTempFile("k6-shim-", ".log");
    errors.deleteOnExit();
    ProcessBuilder builder = new ProcessBuilder("node", "--import",
        LOAD_TESTS.resolve("k6-shim/register.mjs").toAbsolutePath().toString(),
        LOAD_TESTS.resolve("k6-shim/run.mjs").toString(), LOAD_TESTS.resolve("k6").resolve(script).toString(),
        String.valueOf(ITERATIONS))
        .redirectError(errors);
    Map<String, String> env = builder.environment();
    env.put("BASE_URL", "http://127.0.0.1:" + node.httpPort());
    env.put("JWT_SECRET", TestNodes.TEST_SECRET);
    env.put("CUSTOMERS", String.valueOf(LOAD_CUSTOMERS));
    env.put("SKUS", world.cheapSku + "," + world.priceySku);
    env.put("SAGA_TIMEOUT_MS", "30000");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ended = process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    String said = output + Files.readString(errors.toPath());
    assertThat(ended).as("%s ended: %s", script, said).isTrue();
    assertThat(process.exitValue()).as("%s: %s", script, said).isZero();
    return new JsonObject(output.strip());
  }

  private static JsonObject customer(String id) {
    return new JsonObject().put("id", id).put("name", id).put("email", id + "@test.invalid")
        .put("creditLimit", "1000000.00");
  }

  private static boolean nodeAvailable() {
    try {
      return new ProcessBuilder("node", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
