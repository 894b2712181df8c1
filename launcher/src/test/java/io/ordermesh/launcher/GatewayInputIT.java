package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the gateway does with bad input, repeated keys and too many requests: a precise 4xx
 * problem+json every time, never a 5xx; one order per idempotency key however many requests race.
 */
class GatewayInputIT {

  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final int FUZZ_REQUESTS = 300;
  private static final int RATE = 5;

  private static final TestWorld world = new TestWorld();
  private static OrdermeshNode node;
  private static Api api;

  @BeforeAll
  static void startNode() {
    OrdermeshConfig base = TestNodes.shared();
    OrdermeshConfig limited = new OrdermeshConfig(base.nodeId(), base.http(), base.postgres(), base.kafka(), base.saga(),
        base.auth(), base.bus(), base.outbox(), base.consumer(), base.notification(), GatewayConfig.defaults(RATE));
    node = TestNodes.start(limited, Service.all(), Optional.empty(), world.seed());
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stopNode() {
    TestNodes.join(node.stop());
  }

  @Test
  void answersEveryMalformedRequestWithAPreciseClientErrorAndNeverAServerError() {
    Random random = new Random(SEED);
    System.out.println("fuzz seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < FUZZ_REQUESTS; i++) {
      // A principal per request: this test is about input, not about the rate limit.
      String token = TestWorld.token("fuzz-" + i);
      HttpRequest.Builder request = MalformedRequests.any(random, base(), token);
      HttpResponse<String> response = api.send(request);
      String what = request.build().method() + " " + request.build().uri();
      if (response.statusCode() < 400 || response.statusCode() >= 500) {
        failures.add(what + " -> " + response.statusCode() + " " + response.body());
      } else if (!isProblem(response)) {
        failures.add(what + " -> " + response.statusCode() + " without problem+json: " + response.body());
      }
    }
    assertThat(failures).as("seed %d", SEED).isEmpty();
  }

  @Test
  void refusesABodyOverTheLimitWith413() {
    String big = "{\"lines\":[{\"sku\":\"" + "X".repeat(70 * 1024) + "\",\"quantity\":1}]}";

    HttpResponse<String> response = api.placeOrder(TestWorld.token("big-body"), big);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(isProblem(response)).isTrue();
  }

  @Test
  void refusesControlCharactersInSkusWith400AndTheServicesDoTooWhenAskedDirectly() {
    String token = TestWorld.token("nul-sku");

    HttpResponse<String> placed = api.placeOrder(token, "{\"lines\":[{\"sku\":\"SKU-1\\u0000\",\"quantity\":1}]}");
    HttpResponse<String> read = api.get(token, "/api/v1/products/SKU-1%00");

    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(400);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(400);
    assertThat(isProblem(placed) && isProblem(read)).isTrue();
    // Past the gateway (another caller of the bus), PostgreSQL refuses the NUL: a client error, not
    // an INTERNAL failure that callers would retry and count against the inventory breaker.
    var direct = node.vertx().eventBus().request(InventoryAddresses.PRODUCTS_GET, new JsonObject().put("sku", "SKU-1\u0000"))
        .toCompletionStage().toCompletableFuture();
    assertThat(direct).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
        .havingCause().isInstanceOfSatisfying(ReplyException.class,
            reply -> assertThat(reply.failureCode()).isEqualTo(Failure.BAD_REQUEST.code()));
  }

  @Test
  void refusesWellSignedTokensWithoutSubjectExpiryOrThisIssuerWith401() {
    Vertx signing = Vertx.vertx();
    try {
      JWTAuth ours = JWTAuth.create(signing, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
          .setAlgorithm("HS256").setBuffer(TestNodes.TEST_SECRET)));
      JWTOptions fiveMinutes = new JWTOptions().setAlgorithm("HS256")
          .setIssuer("ordermesh").setExpiresInMinutes(5);
      String noSubject = ours.generateToken(new JsonObject().put("roles", new JsonArray().add("admin")), fiveMinutes);
      String neverExpires = ours.generateToken(new JsonObject().put("sub", "forever"),
          new JWTOptions().setAlgorithm("HS256").setIssuer("ordermesh"));
      String otherIssuer = ours.generateToken(new JsonObject().put("sub", "alice"),
          new JWTOptions().setAlgorithm("HS256").setIssuer("elsewhere").setExpiresInMinutes(5));

      for (String token : List.of(noSubject, neverExpires, otherIssuer)) {
        HttpResponse<String> response = api.get(token, "/api/v1/products");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(isProblem(response)).isTrue();
      }
      assertThat(api.get(ours.generateToken(new JsonObject().put("sub", "fine"), fiveMinutes), "/api/v1/products")
          .statusCode()).isEqualTo(200);
    } finally {
      signing.close();
    }
  }

  @Test
  void answersAnAuthorizationHeaderThatIsNotABearerTokenWith401AndTheSchemeToUse() {
    for (String header : List.of("Bearer", "Bearer ", "abc.def.ghi", "Basic dXNlcjpwYXNz", "Bearer not-a-jwt",
        "Bearer ab!c.def.ghi", "Bearer a.b.c.d", "Bearer %%%.e30.c2ln", "Bearer e30.e30.c2ln")) {
      HttpResponse<String> response = api.send(HttpRequest.newBuilder(base().resolve("/api/v1/products"))
          .header("Authorization", header).GET());

      assertThat(response.statusCode()).as("Authorization: %s -> %s", header, response.body()).isEqualTo(401);
      assertThat(isProblem(response)).isTrue();
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
  }

  @Test
  void takesTheSchemeInAnyCaseAndAnyNumberOfSpacesBeforeTheToken() {
    String token = TestWorld.token(world.rich);
    for (String header : List.of("Bearer " + token, "bearer " + token, "BEARER   " + token, "Bearer " + token + "  ")) {
      HttpResponse<String> response = api.send(HttpRequest.newBuilder(base().resolve("/api/v1/users/me"))
          .header("Authorization", header).GET());

      assertThat(response.statusCode()).as("Authorization: %s -> %s", header, response.body()).isEqualTo(200);
      assertThat(new JsonObject(response.body()).getString("id")).isEqualTo(world.rich);
    }
  }

  @Test
  void judgesAMalformedBearerHeaderBeforeTheBodyItCameWith() {
    String big = "{\"lines\":[{\"sku\":\"" + "X".repeat(70 * 1024) + "\",\"quantity\":1}]}";

    HttpResponse<String> response = api.send(HttpRequest.newBuilder(base().resolve("/api/v1/orders"))
        .header("Authorization", "Bearer not-a-jwt").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(big)));

    assertThat(response.statusCode()).as("the credential is refused, however large the body").isEqualTo(401);
    assertThat(isProblem(response)).isTrue();
  }

  @Test
  void answersAPathThatDoesNotDecodeWithAProblem() throws Exception {
    // Java's HTTP client refuses to send such a path, so it goes over a socket.
    try (java.net.Socket socket = new java.net.Socket(base().getHost(), base().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /api/v1/products/%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
          + TestWorld.token(world.rich) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json")
          .contains("\"status\":400");
    }
  }

  @Test
  void marksAnswersForOneCallerUncacheableAndNoAnswerSniffable() {
    HttpResponse<String> mine = api.get(TestWorld.token(world.rich), "/api/v1/users/me");
    HttpResponse<String> contract = api.get(null, "/openapi.json");

    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(mine.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new JsonObject(mine.body()).fieldNames()).as("the profile, as the user service encoded it")
        .containsExactly("id", "name", "email", "creditLimit", "creditAvailable");
    assertThat(new JsonObject(mine.body()).getString("id")).isEqualTo(world.rich);
    assertThat(mine.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(List.of(mine, contract)).allSatisfy(r ->
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff"));
  }

  @Test
  void answersABodyThatIsNotJsonByItsContentTypeWith415() {
    HttpResponse<String> response = api.send(HttpRequest.newBuilder(base().resolve("/api/v1/orders"))
        .header("Authorization", "Bearer " + TestWorld.token("plain-text"))
        .header("Content-Type", "text/plain")
        .header("Idempotency-Key", "plain-" + System.nanoTime())
        .POST(HttpRequest.BodyPublishers.ofString(TestWorld.order("SKU-1", 1))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
    assertThat(isProblem(response)).isTrue();
  }

  @Test
  void createsOneOrderWhenConcurrentRequestsShareAnIdempotencyKey() {
    String token = TestWorld.token(world.careful);
    String key = UUID.randomUUID().toString();
    ExecutorService pool = Executors.newFixedThreadPool(RATE);
    try {
      List<HttpResponse<String>> responses = IntStream.range(0, RATE)
          .mapToObj(i -> CompletableFuture.supplyAsync(
              () -> api.placeOrder(token, key, TestWorld.order(world.cheapSku, 2)), pool))
          .toList().stream().map(CompletableFuture::join).toList();

      assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(202));
      Set<String> orderIds = responses.stream().map(r -> new JsonObject(r.body()).getString("orderId"))
          .collect(Collectors.toSet());
      assertThat(orderIds).hasSize(1);
      assertThat(responses.stream().filter(r -> r.headers().firstValue("Idempotent-Replayed").isPresent()))
          .hasSize(RATE - 1);
      JsonArray orders = api.getJson(token, "/api/v1/orders?limit=100").getJsonArray("orders");
      assertThat(orders).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void forgetsAnIdempotencyKeyAfterItsTimeToLive() {
    OrdermeshConfig base = TestNodes.shared();
    OrdermeshConfig shortKeys = new OrdermeshConfig(base.nodeId(), base.http(), base.postgres(), base.kafka(),
        new OrdermeshConfig.SagaConfig(base.saga().deadline(), java.time.Duration.ofSeconds(1)), base.auth(), base.bus(),
        base.outbox(), base.consumer(), base.notification(), base.gateway());
    OrdermeshNode forgetful = TestNodes.start(shortKeys, java.util.EnumSet.of(Service.ORDER, Service.GATEWAY,
        Service.USER, Service.INVENTORY, Service.NOTIFICATION), Optional.empty(), world.seed());
    try {
      Api shortLived = new Api(forgetful.httpPort());
      String token = TestWorld.token(world.rich);
      String key = UUID.randomUUID().toString();
      String first = new JsonObject(shortLived.placeOrder(token, key, TestWorld.order(world.cheapSku, 1)).body())
          .getString("orderId");

      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
        HttpResponse<String> again = shortLived.placeOrder(token, key, TestWorld.order(world.cheapSku, 1));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(new JsonObject(again.body()).getString("orderId")).isNotEqualTo(first);
      });
    } finally {
      TestNodes.join(forgetful.stop());
    }
  }

  @Test
  void limitsRequestsPerPrincipalWith429RetryAfterAndRateLimitHeaders() {
    String token = TestWorld.token("rate-" + UUID.randomUUID());
    // Three bucketfuls: to meet no 429, these would have to take four seconds (the bucket refills RATE a second).
    List<HttpResponse<String>> responses = IntStream.range(0, RATE * 2 * 3)
        .mapToObj(i -> api.get(token, "/api/v1/products")).toList();

    assertThat(responses).allSatisfy(r -> assertThat(r.headers().firstValue("RateLimit-Policy"))
        // RATE per second with bursts of twice that: the quota a full bucket is, over the window it lasts.
        .hasValue("\"per-principal\";q=" + 2 * RATE + ";w=2"));
    List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
    assertThat(limited).isNotEmpty();
    assertThat(limited).allSatisfy(r -> {
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertThat(r.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains("r=0"));
      assertThat(isProblem(r)).isTrue();
    });
    assertThat(api.get(TestWorld.token("rate-other-" + UUID.randomUUID()), "/api/v1/products").statusCode())
        .as("another principal has its own bucket").isEqualTo(200);
  }

  @Test
  void servesTheOpenApiDocumentItValidatesAgainst() {
    HttpResponse<String> response = api.get(null, "/openapi.json");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject paths = new JsonObject(response.body()).getJsonObject("paths");
    assertThat(paths.fieldNames()).contains("/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/orders/{id}/cancel",
        "/api/v1/products", "/api/v1/products/{sku}", "/api/v1/users/me", "/admin/consistency", "/admin/faults");
  }

  @Test
  void aNodeThatCannotStartFailsPromptlyInsteadOfHanging() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      OrdermeshConfig base = TestNodes.shared();
      OrdermeshConfig clash = new OrdermeshConfig(base.nodeId(), new OrdermeshConfig.HttpConfig("127.0.0.1",
          taken.getLocalPort(), base.http().bodyLimitBytes()), base.postgres(), base.kafka(), base.saga(), base.auth(),
          base.bus(), base.outbox(), base.consumer(), base.notification(), base.gateway());
      long started = System.nanoTime();

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestNodes.startUnchecked(clash,
          java.util.EnumSet.of(Service.GATEWAY), Optional.empty(), new JsonObject()))
          .hasStackTraceContaining("Address already in use");
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));
    }
  }

  private static boolean isProblem(HttpResponse<String> response) {
    if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
      return false;
    }
    JsonObject problem = new JsonObject(response.body());
    return problem.getInteger("status") == response.statusCode() && problem.getString("type") != null
        && problem.getString("correlationId") != null && problem.getString("detail") != null;
  }

  private static URI base() {
    return URI.create("http://127.0.0.1:" + node.httpPort());
  }
}
