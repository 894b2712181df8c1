package io.ordermesh.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * k6 cannot be installed here, so its scripts are held to what can be checked without it: each is
 * a syntactically valid ES module (Node parses it), and every route it calls exists in the gateway's
 * OpenAPI document with that method. {@code K6ScriptsIT} (launcher) runs them against a live node
 * under a shim of the k6 API.
 */
class K6ScriptsTest {

  private static final Path SCRIPTS = Path.of("k6");
  /** {@code http.get(`${BASE_URL}/api/v1/orders/${orderId}`...)}: the method and the path template. */
  private static final Pattern CALL = Pattern.compile("http\\.(get|post|del|put|patch)\\(`\\$\\{BASE_URL}([^`?]*)");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]+}");

  static Stream<Path> scripts() throws IOException {
    try (Stream<Path> files = Files.walk(SCRIPTS)) {
      return files.filter(p -> p.toString().endsWith(".js")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void parsesAsAnEsModule(Path script) throws Exception {
    assumeTrue(nodeAvailable(), "node is not installed");
    Process node = new ProcessBuilder("node", "--check", "--input-type=module")
        .redirectInput(script.toFile()).redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(node.waitFor()).as(output).isZero();
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void callsOnlyRoutesTheGatewayDocuments(Path script) throws IOException {
    JsonObject paths = openApi().getJsonObject("paths");
    Matcher call = CALL.matcher(Files.readString(script));
    while (call.find()) {
      String method = call.group(1).equals("del") ? "delete" : call.group(1);
      String path = call.group(2);
      String documented = paths.fieldNames().stream()
          .filter(template -> matches(template, path)).findFirst().orElse(null);
      assertThat(documented).as("%s calls %s %s", script, method, path).isNotNull();
      assertThat(paths.getJsonObject(documented).fieldNames()).as("%s %s", method, documented).contains(method);
    }
  }

  private static boolean matches(String template, String path) {
    String pattern = template.replaceAll("\\{[^}]+}", "[^/]+");
    return PLACEHOLDER.matcher(path).replaceAll("x").matches(pattern);
  }

  private static JsonObject openApi() throws IOException {
    try (InputStream in = K6ScriptsTest.class.getClassLoader().getResourceAsStream("openapi.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static boolean nodeAvailable() {
    try {
      return new ProcessBuilder("node", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

}
