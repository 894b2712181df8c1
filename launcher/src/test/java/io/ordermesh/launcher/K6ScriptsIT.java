package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The k6 scripts against a live node. k6 cannot be installed here, so each script's setup, default
 * function and teardown run under Node with a shim of the k6 API ({@code load-tests/k6-shim}: the same
 * requests, checks and custom metrics, HTTP made synchronous as k6 makes it), a few iterations on one
 * virtual user, and the checks each script makes must all pass, each as often as it runs. Arrival
 * rates, stages and thresholds are k6's to apply and are not exercised here.
 */
class K6ScriptsIT {

  /** The module's working directory is {@code launcher/}, as Maven runs its tests. */
  private static final Path LOAD_TESTS = Path.of("..", "load-tests");
  private static final int ITERATIONS = 2;
  private static final int LOAD_CUSTOMERS = 3;
  private static final long RUN_TIMEOUT_SECONDS = 120;
  /** {@code register} from node:module, which the shim's hooks need, came with Node 20.6. */
  private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.(\\d+)");
  @RegisterExtension
  static final WholeNode system = new WholeNode(scriptCustomers(), "1000000.00");
  private static final TestWorld world = system.world();
  private static final Map<String, JsonObject> runs = new HashMap<>();

  @BeforeAll
  static void needsNode() {
    assumeTrue(nodeCanRunTheShim(), "Node 20.6 or newer is not installed");
  }

  /** The breaker demo's teardown ends its fault; should the script fail before, the fault ends here. */
  @AfterEach
  void endEveryFault() {
    String admin = TestWorld.token("k6-it", "admin");
    new JsonObject(system.api().get(admin, "/admin/faults").body()).getJsonArray("faults")
        .forEach(fault -> system.api().delete(admin, "/admin/faults/" + ((JsonObject) fault).getString("id")));
  }

  @Test
  void smokeChecksEveryPublicRouteAndConfirmsItsOrders() throws Exception {
    assertRanCleanly("smoke.js", "ready", "catalogue", "me", "order accepted (202)", "confirmed", "list");
  }

  @Test
  void orderFlowFollowsEachPlacedOrderToItsConfirmation() throws Exception {
    JsonObject run = assertRanCleanly("order-flow.js", "order accepted (202)", "saga confirmed");

    assertThat(run.getJsonObject("metrics").getJsonObject("saga_completion_ms").getInteger("count"))
        .isEqualTo(ITERATIONS);
  }

  @Test
  void spikePlacesOrders() throws Exception {
    assertRanCleanly("spike.js", "order accepted (202)");
  }

  @Test
  void soakFollowsItsOrdersToAnEnd() throws Exception {
    assertRanCleanly("soak.js", "order accepted (202)", "saga terminal");
  }

  @Test
  void breakerDemoInjectsItsFaultReadsThroughItAndEndsItInTeardown() throws Exception {
    JsonObject run = run("breaker-demo.js");

    assertThat(checks(run).getJsonObject("fault injected").getInteger("passes")).isEqualTo(1);
    assertEveryIteration(run, "fault injected", "catalogue answered", "profile unaffected");
    String admin = TestWorld.token("k6-it", "admin");
    assertThat(new JsonObject(system.api().get(admin, "/admin/faults").body()).getJsonArray("faults"))
        .as("teardown ended the fault").isEmpty();
  }

  /** Exactly these checks, none failed; each but a setup's made once per iteration. */
  private static void assertEveryIteration(JsonObject run, String... names) {
    JsonObject checks = checks(run);
    assertThat(checks.fieldNames()).as("%s", run.getString("script")).containsExactlyInAnyOrder(names);
    checks.forEach(check -> {
      JsonObject counts = (JsonObject) check.getValue();
      assertThat(counts.getInteger("fails")).as("%s: check '%s'", run.getString("script"), check.getKey()).isZero();
      assertThat(counts.getInteger("passes")).as("%s: check '%s'", run.getString("script"), check.getKey())
          .isIn(1, ITERATIONS);
    });
    assertThat(run.getInteger("httpReqs")).isPositive();
  }

  /**
   * A script whose thresholds count failed requests: exactly these checks, each passed once per
   * iteration, and no request unanswered or answered outside 200-399 (what {@code http_req_failed} counts).
   */
  private static JsonObject assertRanCleanly(String script, String... checks) throws Exception {
    JsonObject run = run(script);
    assertEveryIteration(run, checks);
    assertThat(run.getInteger("httpReqFailed")).as("%s: failed requests", script).isZero();
    return run;
  }

  private static JsonObject checks(JsonObject run) {
    return run.getJsonObject("checks");
  }

  /** One script's lifecycle under the shim, once per class: the runner's summary line. */
  private static JsonObject run(String script) throws IOException, InterruptedException {
    JsonObject done = runs.get(script);
    if (done == null) {
      done = runUnderTheShim(script);
      runs.put(script, done);
    }
    return done;
  }

  private static JsonObject runUnderTheShim(String script) throws IOException, InterruptedException {
    File output = File.createTempFile("k6-shim-", ".json");
    File errors = File.createTempFile("k6-shim-", ".log");
    output.deleteOnExit();
    errors.deleteOnExit();
    ProcessBuilder builder = new ProcessBuilder("node", "--import",
        LOAD_TESTS.resolve("k6-shim/register.mjs").toAbsolutePath().toString(),
        LOAD_TESTS.resolve("k6-shim/run.mjs").toString(), LOAD_TESTS.resolve("k6").resolve(script).toString(),
        String.valueOf(ITERATIONS))
        .redirectOutput(output)
        .redirectError(errors);
    Map<String, String> env = builder.environment();
    // A TOKEN in the environment would stand in for every token the scripts mint.
    env.remove("TOKEN");
    env.put("BASE_URL", "http://127.0.0.1:" + system.node().httpPort());
    env.put("JWT_SECRET", TestNodes.TEST_SECRET);
    env.put("CUSTOMERS", String.valueOf(LOAD_CUSTOMERS));
    env.put("SKUS", world.cheapSku + "," + world.priceySku);
    env.put("SAGA_TIMEOUT_MS", "30000");
    Process process = builder.start();
    try {
      boolean ended = process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      String said = Files.readString(output.toPath(), StandardCharsets.UTF_8) + Files.readString(errors.toPath());
      assertThat(ended).as("%s ended within %d s: %s", script, RUN_TIMEOUT_SECONDS, said).isTrue();
      assertThat(process.exitValue()).as("%s: %s", script, said).isZero();
      return new JsonObject(Files.readString(output.toPath(), StandardCharsets.UTF_8).strip());
    } finally {
      process.destroyForcibly();
    }
  }

  /** Whom the scripts order as: alice (smoke, breaker demo) and load-1 .. load-CUSTOMERS. */
  private static List<String> scriptCustomers() {
    return Stream.concat(Stream.of("alice"), IntStream.rangeClosed(1, LOAD_CUSTOMERS).mapToObj(n -> "load-" + n))
        .toList();
  }

  private static boolean nodeCanRunTheShim() {
    try {
      Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String said = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Matcher matcher = NODE_VERSION.matcher(said);
      if (!version.waitFor(10, TimeUnit.SECONDS) || version.exitValue() != 0 || !matcher.find()) {
        return false;
      }
      int major = Integer.parseInt(matcher.group(1));
      return major > 20 || (major == 20 && Integer.parseInt(matcher.group(2)) >= 6);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
