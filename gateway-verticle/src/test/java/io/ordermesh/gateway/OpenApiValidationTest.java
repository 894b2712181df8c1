package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's request checks against its own {@code openapi.json}, through a real HTTP server: a
 * request the contract allows reaches the route, any other is refused with a detail naming the part
 * that failed.
 */
class OpenApiValidationTest {

  private static final String GOOD_ORDER = "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2}]}";

  private static Vertx vertx;
  private static HttpServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void startServer() {
    vertx = Vertx.vertx();
    OpenApiValidation openApi = OpenApiValidation.load(vertx).await();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    router.post("/api/v1/orders").handler(openApi.operation("placeOrder")).handler(ctx -> ctx.response().end("placed"));
    router.get("/api/v1/orders").handler(openApi.operation("listOrders")).handler(ctx -> ctx.response().end("listed"));
    router.get("/admin/consistency").handler(openApi.operation("checkConsistency"))
        .handler(ctx -> ctx.response().end("checked"));
    // A refusal is an HttpProblem; anything else (the validator failing) is a 500 here, never a 400.
    router.route().failureHandler(ctx -> ctx.response()
        .setStatusCode(ctx.failure() instanceof HttpProblem problem ? problem.status() : 500)
        .end(ctx.failure() instanceof HttpProblem problem ? problem.getMessage() : String.valueOf(ctx.failure())));
    server = vertx.createHttpServer().requestHandler(router).listen(0).await();
  }

  @AfterAll
  static void stopServer() {
    vertx.close().await();
  }

  @Test
  void letsARequestTheContractAllowsThrough() throws Exception {
    assertThat(place(GOOD_ORDER, "key-1").body()).isEqualTo("placed");
    assertThat(get("/api/v1/orders?status=CONFIRMED&limit=10").body()).isEqualTo("listed");
  }

  @Test
  void checksTheBodyAgainstTheComponentsItsSchemaRefersTo() throws Exception {
    HttpResponse<String> response = place("{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":0}]}", "key-2");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("request does not match the API: the body at /lines/0/quantity: ")
        .contains("1");
  }

  @Test
  void namesEveryPropertyTheContractDoesNotKnow() throws Exception {
    HttpResponse<String> response = place("{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":1,\"colour\":\"red\"}],"
        + "\"note\":\"x\"}", "key-3");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("colour").contains("note");
  }

  @Test
  void refusesABodyThatIsNotOneJsonDocument() throws Exception {
    assertThat(place("{\"lines\":[", "key-4").body()).startsWith("request does not match the API: the body is not valid JSON");
    assertThat(place(GOOD_ORDER + " {}", "key-5").body()).startsWith("request does not match the API: the body is not valid JSON");
  }

  @Test
  void readsAParameterAsItsSchemasTypeBeforeCheckingIt() throws Exception {
    HttpResponse<String> tooLarge = get("/api/v1/orders?limit=101");
    HttpResponse<String> notANumber = get("/api/v1/orders?limit=ten");
    HttpResponse<String> notAStatus = get("/api/v1/orders?status=SHIPPED");

    assertThat(tooLarge.statusCode()).isEqualTo(400);
    assertThat(tooLarge.body()).startsWith("request does not match the API: query parameter limit: ");
    assertThat(notANumber.statusCode()).isEqualTo(400);
    assertThat(notAStatus.body()).startsWith("request does not match the API: query parameter status: ");
  }

  @Test
  void takesRepeatedStringParametersAsTheyCameWhateverJsonWouldMakeOfThem() throws Exception {
    HttpResponse<String> customers = get("/admin/consistency?slackMs=10000&customer=rich-b1cd9981&customer=1e5"
        + "&customer=42&customer=true&customer=null");
    HttpResponse<String> negativeSlack = get("/admin/consistency?slackMs=-5&customer=alice");

    assertThat(customers.statusCode()).as(customers.body()).isEqualTo(200);
    assertThat(negativeSlack.statusCode()).isEqualTo(400);
  }

  @Test
  void refusesAPlacementWithoutItsRequiredHeader() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/orders"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(GOOD_ORDER)));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("Idempotency-Key");
  }

  private static HttpResponse<String> place(String body, String idempotencyKey) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri("/api/v1/orders")).header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }
}
