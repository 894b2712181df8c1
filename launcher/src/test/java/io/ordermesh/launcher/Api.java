package io.ordermesh.launcher;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** A plain HTTP client for the gateway, as a user's program would call it. */
public final class Api {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String base;

  public Api(int port) {
    this("127.0.0.1", port);
  }

  public Api(String host, int port) {
    this.base = "http://" + host + ":" + port;
  }

  /** The gateway's URI for {@code path}. */
  public URI uri(String path) {
    return URI.create(base + path);
  }

  public HttpResponse<String> placeOrder(String token, String idempotencyKey, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/orders"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public HttpResponse<String> placeOrder(String token, String body) {
    return placeOrder(token, UUID.randomUUID().toString(), body);
  }

  public HttpResponse<String> post(String token, String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** The invariant check over the given customers' orders. */
  public JsonObject consistency(String... customers) {
    return consistencyInPages(1_000, customers);
  }

  /** The invariant check over the given customers' orders, asking for {@code pageSize} orders at a time. */
  public JsonObject consistencyInPages(int pageSize, String... customers) {
    StringBuilder path = new StringBuilder("/admin/consistency?slackMs=10000&pageSize=" + pageSize);
    for (String customer : customers) {
      path.append("&customer=").append(customer);
    }
    return getJson(TestWorld.token("test-admin", "admin"), path.toString());
  }

  public HttpResponse<String> get(String token, String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request);
  }

  public HttpResponse<String> delete(String token, String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).DELETE());
  }

  public JsonObject getJson(String token, String path) {
    HttpResponse<String> response = get(token, path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
