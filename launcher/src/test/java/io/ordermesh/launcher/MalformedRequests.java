package io.ordermesh.launcher;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/** Generates wrong requests for every route: bad bodies, bad types, bad headers, bad paths, bad tokens. */
final class MalformedRequests {

  private static final List<String> BAD_BODIES = List.of(
      "", "null", "[]", "42", "\"text\"", "{", "{\"lines\":", "{\"lines\":null}", "{\"lines\":[]}",
      "{\"lines\":{}}", "{\"lines\":[null]}", "{\"lines\":[1,2]}", "{\"lines\":[{}]}",
      "{\"lines\":[{\"sku\":1,\"quantity\":1}]}", "{\"lines\":[{\"sku\":\"SKU-1\"}]}",
      "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":0}]}", "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":1001}]}",
      "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":-5}]}", "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":1.5}]}",
      "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":\"2\"}]}", "{\"lines\":[{\"sku\":\"\",\"quantity\":1}]}",
      "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":1,\"discount\":50}]}",
      "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":1}],\"customerId\":\"bob\"}",
      "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":99999999999999999999}]}",
      "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":true}]}", "{\"lines\":[[[[[[[[[[]]]]]]]]]]}",
      "\u0000\u0001\u0002", "{\"lines\":[{\"sku\":\"\\ud800\",\"quantity\":1}]}",
      "{\"lines\":[{\"sku\":\"\\u0000\",\"quantity\":1}]}", "{\"lines\":[{\"sku\":\"SKU-1\\n\",\"quantity\":1}]}");

  private MalformedRequests() {
  }

  static HttpRequest.Builder any(Random random, URI base, String token) {
    List<Supplier<HttpRequest.Builder>> kinds = List.of(
        () -> badOrderBody(random, base, token),
        () -> tooManyLines(random, base, token),
        () -> missingOrHugeKey(random, base, token),
        () -> badToken(random, base),
        () -> badPath(random, base, token),
        () -> badQuery(random, base, token),
        () -> wrongMethod(random, base, token));
    return kinds.get(random.nextInt(kinds.size())).get();
  }

  private static HttpRequest.Builder badOrderBody(Random random, URI base, String token) {
    return post(base.resolve("/api/v1/orders"), token, "key-" + random.nextInt(), BAD_BODIES.get(random.nextInt(BAD_BODIES.size())));
  }

  private static HttpRequest.Builder tooManyLines(Random random, URI base, String token) {
    StringBuilder body = new StringBuilder("{\"lines\":[");
    int lines = 101 + random.nextInt(50);
    for (int i = 0; i < lines; i++) {
      body.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-1\",\"quantity\":1}");
    }
    return post(base.resolve("/api/v1/orders"), token, "key-" + random.nextInt(), body.append("]}").toString());
  }

  private static HttpRequest.Builder missingOrHugeKey(Random random, URI base, String token) {
    String key = random.nextBoolean() ? null : "k".repeat(201 + random.nextInt(300));
    return post(base.resolve("/api/v1/orders"), token, key, "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}");
  }

  private static HttpRequest.Builder badToken(Random random, URI base) {
    List<String> tokens = List.of("", "Bearer", "Bearer ", "Bearer not.a.jwt", "Basic dXNlcjpwYXNz",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", "Bearer " + "x".repeat(5000));
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(
        random.nextBoolean() ? "/api/v1/products" : "/api/v1/users/me")).GET();
    String auth = tokens.get(random.nextInt(tokens.size()));
    return auth.isEmpty() ? request : request.header("Authorization", auth);
  }

  private static HttpRequest.Builder badPath(Random random, URI base, String token) {
    List<String> ids = List.of("not-a-uuid", "%00", "..%2F..%2Fetc%2Fpasswd", "' OR 1=1 --", "\u00e9\u00e8",
        "00000000-0000-0000-0000-000000000000", "x".repeat(300));
    String id = URLEncoder.encode(ids.get(random.nextInt(ids.size())), StandardCharsets.UTF_8);
    List<String> paths = List.of("/api/v1/orders/" + id, "/api/v1/orders/" + id + "/cancel", "/api/v1/products/" + id,
        "/api/v1/nothing-here", "/api/v2/orders");
    String path = paths.get(random.nextInt(paths.size()));
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    return path.endsWith("/cancel") ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
  }

  private static HttpRequest.Builder badQuery(Random random, URI base, String token) {
    List<String> queries = List.of("status=LOST", "status=", "limit=0", "limit=-1", "limit=abc", "limit=101",
        "limit=99999999999", "status=PENDING&limit=1.5");
    return HttpRequest.newBuilder(base.resolve("/api/v1/orders?" + queries.get(random.nextInt(queries.size()))))
        .header("Authorization", "Bearer " + token).GET();
  }

  private static HttpRequest.Builder wrongMethod(Random random, URI base, String token) {
    List<String> paths = List.of("/api/v1/products", "/api/v1/users/me", "/api/v1/orders/x/cancel");
    String path = paths.get(random.nextInt(paths.size()));
    return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
        .method(random.nextBoolean() ? "PUT" : "DELETE", HttpRequest.BodyPublishers.ofString("{}"));
  }

  private static HttpRequest.Builder post(URI uri, String token, String key, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return key == null ? request : request.header("Idempotency-Key", key);
  }
}
