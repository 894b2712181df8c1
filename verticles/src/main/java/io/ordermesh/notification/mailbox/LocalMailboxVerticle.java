package io.ordermesh.notification.mailbox;

import io.ordermesh.platform.config.OrdermeshConfig;
import io.ordermesh.platform.config.OrdermeshConfig.NotificationConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A stand-in notification provider for {@code ordermesh run}: it accepts webhook posts on
 * {@code POST /messages} (a repeated {@code Idempotency-Key} is acknowledged and not stored again),
 * lists them as JSON on {@code GET /messages} and as a small page on {@code GET /}. It keeps messages
 * in memory: it is a window for a developer, not a store.
 */
public final class LocalMailboxVerticle extends VerticleBase {

  private static final int MAX_MESSAGES = 1_000;
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final List<JsonObject> messages = new ArrayList<>();
  private final Set<String> seenKeys = new HashSet<>();
  private int duplicates;
  private HttpServer server;

  @Override
  public Future<?> start() {
    NotificationConfig notification = OrdermeshConfig.fromJson(config()).notification();
    Router router = Router.router(vertx);
    router.post("/messages").handler(BodyHandler.create(false).setBodyLimit(64 * 1024)).handler(this::receive);
    router.get("/messages").handler(this::listJson);
    router.get("/").handler(this::page);
    return vertx.createHttpServer().requestHandler(router)
        .listen(notification.mailboxPort(), notification.mailboxHost())
        .onSuccess(s -> server = s);
  }

  private void receive(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    JsonObject body = ctx.body().asJsonObject();
    if (key != null && !seenKeys.add(key)) {
      duplicates++;
    } else {
      messages.add(0, new JsonObject().put("receivedAt", Instant.now().toString()).put("message", body));
      if (messages.size() > MAX_MESSAGES) {
        messages.remove(messages.size() - 1);
      }
    }
    ctx.response().setStatusCode(202).end();
  }

  private void listJson(RoutingContext ctx) {
    ctx.json(new JsonObject().put("messages", new JsonArray(List.copyOf(messages))).put("duplicates", duplicates));
  }

  private void page(RoutingContext ctx) {
    StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>Ordermesh mailbox</title>"
        + "<style>body{font:14px system-ui;margin:2em}td{padding:2px 12px}</style>"
        + "<h1>Ordermesh mailbox</h1><p>" + messages.size() + " messages, newest first (JSON at /messages)</p>"
        + "<table><tr><th>received</th><th>customer</th><th>subject</th></tr>");
    for (JsonObject m : messages) {
      JsonObject message = m.getJsonObject("message", new JsonObject());
      html.append("<tr><td>").append(escape(m.getString("receivedAt")))
          .append("</td><td>").append(escape(message.getString("customerId")))
          .append("</td><td>").append(escape(message.getString("subject"))).append("</td></tr>");
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(html.append("</table>").toString());
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
