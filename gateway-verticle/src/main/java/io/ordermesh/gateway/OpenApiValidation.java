package io.ordermesh.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The gateway's OpenAPI document ({@code openapi.json} on the classpath, served at
 * {@code /openapi.json}) is also what requests are validated against, so the published contract and
 * the enforced one cannot drift apart.
 */
final class OpenApiValidation {

  static final String RESOURCE = "openapi.json";

  private final OpenAPIContract contract;
  private final RequestValidator validator;
  private final Buffer document;

  private OpenApiValidation(Vertx vertx, OpenAPIContract contract, Buffer document) {
    this.contract = contract;
    this.validator = RequestValidator.create(vertx, contract);
    this.document = document;
  }

  static Future<OpenApiValidation> load(Vertx vertx) {
    // Reading a classpath resource blocks: not on the event loop that deploys the gateway.
    return vertx.executeBlocking(OpenApiValidation::read).compose(document ->
        OpenAPIContract.from(vertx, requestsOnly(new JsonObject(document)))
            .map(contract -> new OpenApiValidation(vertx, contract, document)));
  }

  /**
   * The document without response bodies. Only requests are validated here, and vertx-openapi refuses
   * to load a contract whose responses use media types it cannot validate, such as the
   * {@code application/problem+json} that every error of this API is.
   */
  static JsonObject requestsOnly(JsonObject document) {
    JsonObject copy = document.copy();
    copy.getJsonObject("components").remove("responses");
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      JsonObject responses = ((JsonObject) operation.getValue()).getJsonObject("responses");
      responses.fieldNames().forEach(status -> responses.put(status, new JsonObject().put("description", status)));
    }));
    return copy;
  }

  /** A route handler that lets only requests matching the operation through. */
  Handler<RoutingContext> operation(String operationId) {
    return ctx -> RequestExtractor.withBodyHandler()
        .extractValidatableRequest(ctx, contract.operation(operationId))
        .compose(request -> validator.validate(request, operationId))
        .onSuccess(valid -> ctx.next())
        .onFailure(error -> ctx.fail(HttpProblem.badRequest("request does not match the API: " + error.getMessage())));
  }

  void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document);
  }

  private static Buffer read() {
    try (InputStream in = OpenApiValidation.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the gateway jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
