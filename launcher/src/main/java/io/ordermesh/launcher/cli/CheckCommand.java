package io.ordermesh.launcher.cli;

import io.ordermesh.gateway.JwtTokens;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ordermesh check}: evaluates the saga's invariants on a running system through its gateway
 * ({@code GET /admin/consistency}) with an admin token of this home. Exit code 0 when they all hold.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check the saga invariants (stock, credit, terminal orders, holdings, notifications).")
public final class CheckCommand implements Callable<Integer> {

  private static final int VIOLATED = 1;
  private static final int UNREACHABLE = 2;

  @Mixin
  HomeOption homeOption;

  @Option(names = "--url", defaultValue = "http://localhost:" + Defaults.HTTP_PORT, paramLabel = "URL",
      description = "The gateway. Default: ${DEFAULT-VALUE}")
  String url;

  @Option(names = "--jwt-secret", paramLabel = "SECRET", description = "Sign the admin token with this key instead of the home's.")
  String jwtSecret;

  @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long to wait for the report: the check reads every order, page by page. Default: ${DEFAULT-VALUE}")
  Duration timeout;

  @Option(names = "--customer", paramLabel = "ID",
      description = "Check only these customers' orders (and their credit). Repeatable. Default: every order")
  List<String> customers = List.of();

  @Override
  public Integer call() throws Exception {
    String token = adminToken();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/admin/consistency" + query()))
        .header("Authorization", "Bearer " + token)
        .timeout(timeout)
        .GET()
        .build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      System.err.println("ordermesh check: no report from " + url + " within " + timeout.toSeconds()
          + " s; a system with many orders takes longer (--timeout), or check some customers (--customer)");
      return UNREACHABLE;
    } catch (java.io.IOException e) {
      System.err.println("ordermesh check: cannot reach " + url + ": " + e.getMessage());
      return UNREACHABLE;
    }
    if (response.statusCode() != 200) {
      System.err.println("ordermesh check: " + response.statusCode() + " " + response.body());
      return UNREACHABLE;
    }
    JsonObject result;
    try {
      result = new JsonObject(response.body());
      System.err.printf("%s: %d orders checked, %d violations%n", result.getBoolean("ok") ? "OK" : "VIOLATED",
          result.getInteger("checkedOrders"), result.getJsonArray("violations").size());
    } catch (RuntimeException e) {
      // Exit 1 means "violated": an answer this command cannot read must not look like one.
      System.err.println("ordermesh check: " + url + " did not answer a consistency report: " + e.getMessage());
      return UNREACHABLE;
    }
    System.out.println(result.encodePrettily());
    return result.getBoolean("ok") ? 0 : VIOLATED;
  }

  private String query() {
    StringBuilder query = new StringBuilder();
    for (String customer : customers) {
      query.append(query.isEmpty() ? '?' : '&').append("customer=")
          .append(java.net.URLEncoder.encode(customer, java.nio.charset.StandardCharsets.UTF_8));
    }
    return query.toString();
  }

  private String adminToken() {
    return JwtTokens.issueOffline(new AuthConfig(homeOption.jwtSecret(jwtSecret), Duration.ofMinutes(5)),
        "ordermesh-check", List.of("admin"));
  }
}
