package io.ordermesh.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's OpenAPI document ({@code openapi.json} on the classpath, served at
 * {@code /openapi.json}) is also what requests are validated against, so the published contract and
 * the enforced one cannot drift apart.
 *
 * <p>vertx-openapi reads the contract and its parameter transformers, content analysers and
 * vertx-json-schema validators do the checking, but the checks are compiled once per operation and
 * run on the event loop. vertx-openapi's own {@code RequestValidator} builds a schema validator for
 * every parameter and body of every request and hops to a worker thread for each one: a fifth of the
 * gateway's CPU under load and two thread hand-offs per request (docs/decisions/0008).
 */
final class OpenApiValidation {

  static final String RESOURCE = "openapi.json";

  private final OpenAPIContract contract;
  private final Buffer document;

  private OpenApiValidation(OpenAPIContract contract, Buffer document) {
    this.contract = contract;
    this.document = document;
  }

  static Future<OpenApiValidation> load(Vertx vertx) {
    // Reading a classpath resource blocks: not on the event loop that deploys the gateway.
    return vertx.executeBlocking(OpenApiValidation::read).compose(document ->
        OpenAPIContract.from(vertx, requestsOnly(new JsonObject(document)))
            .map(contract -> new OpenApiValidation(contract, document)));
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

  /** A route handler that lets only requests matching the operation through; compiled when the route is mounted. */
  Handler<RoutingContext> operation(String operationId) {
    OperationCheck check = compile(operationId);
    return ctx -> {
      try {
        check.validate(ctx);
      } catch (ValidatorException e) {
        ctx.fail(HttpProblem.badRequest("request does not match the API: " + e.getMessage()));
        return;
      }
      ctx.next();
    };
  }

  void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document);
  }

  private OperationCheck compile(String operationId) {
    Operation operation = contract.operation(operationId);
    if (operation == null) {
      throw new IllegalArgumentException("no operation " + operationId + " in " + RESOURCE);
    }
    SchemaRepository schemas = contract.getSchemaRepository();
    List<ParameterCheck> parameters = operation.getParameters().stream()
        .map(parameter -> new ParameterCheck(parameter, transformer(parameter), schemas.validator(parameter.getSchema())))
        .toList();
    RequestBody body = operation.getRequestBody();
    Map<String, Validator> bodies = new HashMap<>();
    if (body != null) {
      body.getContent().values().forEach(media -> bodies.put(media.getIdentifier(), schemas.validator(media.getSchema())));
    }
    return new OperationCheck(parameters, body, bodies);
  }

  private static ParameterTransformer transformer(Parameter parameter) {
    if (parameter.getIn() == Location.COOKIE) {
      throw new IllegalArgumentException("cookie parameters are not supported: " + parameter.getName());
    }
    if (parameter.getStyle() == Style.SIMPLE) {
      return new SimpleTransformer();
    }
    if (parameter.getStyle() == Style.FORM) {
      return new FormTransformer();
    }
    throw new IllegalArgumentException("parameter style " + parameter.getStyle() + " is not supported: "
        + parameter.getName());
  }

  private static ValidatorException invalid(String what, JsonSchemaValidationException e) {
    return new ValidatorException(what + ": " + e.getMessage(), ValidatorErrorType.INVALID_VALUE);
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

  /** One operation's parameters and body, each with its schema validator built once. */
  private record OperationCheck(List<ParameterCheck> parameters, RequestBody body, Map<String, Validator> bodies) {

    void validate(RoutingContext ctx) {
      for (ParameterCheck parameter : parameters) {
        parameter.validate(ctx);
      }
      if (body != null) {
        validateBody(ctx);
      }
    }

    private void validateBody(RoutingContext ctx) {
      Buffer raw = ctx.body().buffer();
      if (raw == null || raw.length() == 0) {
        if (body.isRequired()) {
          throw new ValidatorException("the request body is required", ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
        }
        return;
      }
      String contentType = ctx.request().getHeader("Content-Type");
      MediaType media = contentType == null ? null : body.determineContentType(contentType);
      if (media == null) {
        throw new ValidatorException("unsupported content type " + contentType,
            ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
      }
      ContentAnalyser content = ContentAnalyser.getContentAnalyser(media, contentType, raw, ValidationContext.REQUEST);
      if (content == null) {
        throw new ValidatorException("unsupported content type " + contentType,
            ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
      }
      content.checkSyntacticalCorrectness();
      try {
        bodies.get(media.getIdentifier()).validate(content.transform()).checkValidity();
      } catch (JsonSchemaValidationException e) {
        throw invalid("the body" + (e.location() == null || e.location().isEmpty() ? "" : " at " + e.location()), e);
      }
    }
  }

  /** One parameter: where to find it, how to read its text as the schema's type, and the schema. */
  private record ParameterCheck(Parameter parameter, ParameterTransformer transformer, Validator schema) {

    void validate(RoutingContext ctx) {
      String raw = rawValue(ctx);
      if (raw == null) {
        if (parameter.isRequired()) {
          throw ValidatorException.createMissingRequiredParameter(parameter);
        }
        return;
      }
      try {
        schema.validate(typed(raw)).checkValidity();
      } catch (JsonSchemaValidationException e) {
        throw invalid(parameter.getIn() + " parameter " + parameter.getName(), e);
      }
    }

    /**
     * The transformers try to read any text as JSON first; for a string parameter (an idempotency key,
     * a sku) that is a decoding exception per request for nothing.
     */
    private Object typed(String raw) {
      return parameter.getSchemaType() == SchemaType.STRING ? raw : transformer.transform(parameter, raw);
    }

    private String rawValue(RoutingContext ctx) {
      return switch (parameter.getIn()) {
        case PATH -> ctx.pathParam(parameter.getName());
        case QUERY -> query(ctx);
        case HEADER -> ctx.request().getHeader(parameter.getName());
        case COOKIE -> throw new IllegalStateException("cookie parameters are refused when compiling");
      };
    }

    /**
     * An array parameter may repeat ({@code ?customer=a&customer=b}): its values are read as the form
     * style's list. Any other parameter given twice is not what the contract describes.
     */
    private String query(RoutingContext ctx) {
      List<String> values = ctx.queryParam(parameter.getName());
      if (values.isEmpty()) {
        return null;
      }
      if (parameter.getSchemaType() == SchemaType.ARRAY) {
        return String.join(",", values);
      }
      if (values.size() > 1) {
        throw new ValidatorException("query parameter " + parameter.getName() + " is given more than once",
            ValidatorErrorType.INVALID_VALUE_FORMAT);
      }
      return values.get(0);
    }
  }
}
