package io.ordermesh.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The gateway's OpenAPI document ({@code openapi.json} on the classpath, served at
 * {@code /openapi.json}) is also what requests are validated against, so the published contract and
 * the enforced one cannot drift apart.
 *
 * <p>vertx-openapi reads the contract (operations, parameters, their styles and transformers) and
 * networknt's json-schema-validator, with the OpenAPI 3.1 dialect, checks values against the schemas
 * the document gives them, {@code $ref}s into its components included. Each operation's checks are
 * compiled once, when its route is mounted, and run on the event loop: vertx-openapi's own
 * {@code RequestValidator} builds a schema validator for every parameter and body of every request and
 * hops to a worker thread for each one (docs/decisions/0008). Once compiled, vertx-json-schema's checks
 * still took 6% of the node's CPU at 200 placements/s; networknt's take a sixteenth of that (decision 8,
 * amended).
 */
final class OpenApiValidation {

  static final String RESOURCE = "openapi.json";
  /**
   * Where the schema registry finds the document's component schemas, as the {@code $defs} of a schema
   * document of their own (a schema registry reads a whole OpenAPI document as a schema full of unknown
   * keywords). It is handed over in memory, never fetched.
   */
  private static final String COMPONENTS_IRI = "https://ordermesh.invalid/" + RESOURCE + "/components";
  private static final String COMPONENT_REF = "#/components/schemas/";
  /** Strict: one JSON document and nothing after it. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String JSON_MEDIA_TYPE = "application/json";

  private final OpenAPIContract contract;
  private final Buffer document;
  private final JsonObject paths;
  private final SchemaRegistry schemas;
  /** Each operation's check, compiled once for every gateway instance that mounts its route. */
  private final Map<String, OperationCheck> checks = new ConcurrentHashMap<>();
  /** Names the in-place schemas compiled so far, each under an IRI of its own. */
  private int inlineSchemas;

  private OpenApiValidation(OpenAPIContract contract, Buffer document) {
    this.contract = contract;
    this.document = document;
    JsonObject declared = new JsonObject(document);
    this.paths = declared.getJsonObject("paths");
    JsonObject components = new JsonObject().put("$defs",
        refsToComponents(declared.getJsonObject("components").getJsonObject("schemas", new JsonObject())));
    this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(), registry -> registry
        .schemas(Map.of(COMPONENTS_IRI, components.encode()))
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
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

  /**
   * A route handler that lets only requests matching the operation through; compiled when the route is
   * first mounted, once for all the gateway instances that share this contract.
   */
  Handler<RoutingContext> operation(String operationId) {
    OperationCheck check = checks.computeIfAbsent(operationId, this::compile);
    return ctx -> {
      try {
        check.validate(ctx);
      } catch (ValidatorException e) {
        ctx.fail(HttpProblem.badRequest("request does not match the API: " + e.getMessage()));
        return;
      } catch (HttpProblem problem) {
        ctx.fail(problem);
        return;
      }
      ctx.next();
    };
  }

  void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document);
  }

  /** Synchronized: the instances mount their routes side by side, and inline schemas are numbered. */
  private synchronized OperationCheck compile(String operationId) {
    Operation operation = contract.operation(operationId);
    if (operation == null) {
      throw new IllegalArgumentException("no operation " + operationId + " in " + RESOURCE);
    }
    String path = operation.getOpenAPIPath();
    String method = operation.getHttpMethod().name().toLowerCase(Locale.ROOT);
    JsonObject declared = paths.getJsonObject(path).getJsonObject(method);
    List<ParameterCheck> parameters = operation.getParameters().stream()
        .map(parameter -> new ParameterCheck(parameter, transformer(parameter),
            schemaOf(declared, parameter).orElseGet(() -> schemaOf(paths.getJsonObject(path), parameter)
                .orElseThrow(() -> new IllegalArgumentException("no schema for " + parameter.getName())))))
        .toList();
    RequestBody body = operation.getRequestBody();
    Schema bodySchema = null;
    if (body != null) {
      if (!body.getContent().keySet().equals(Set.of(JSON_MEDIA_TYPE))) {
        throw new IllegalArgumentException(operationId + ": request bodies other than " + JSON_MEDIA_TYPE
            + " are not supported: " + body.getContent().keySet());
      }
      bodySchema = compile(declared.getJsonObject("requestBody").getJsonObject("content")
          .getJsonObject(JSON_MEDIA_TYPE).getJsonObject("schema"));
    }
    return new OperationCheck(parameters, body, bodySchema);
  }

  /** The schema of {@code parameter} as declared among {@code owner}'s parameters (an operation or a path). */
  private Optional<Schema> schemaOf(JsonObject owner, Parameter parameter) {
    JsonArray declared = owner.getJsonArray("parameters", new JsonArray());
    return declared.stream().map(JsonObject.class::cast)
        .filter(p -> parameter.getName().equals(p.getString("name"))
            && parameter.getIn().name().equalsIgnoreCase(p.getString("in")))
        .findFirst()
        .map(p -> compile(p.getJsonObject("schema")));
  }

  /** A schema the document declares in place (a parameter's, a body's), under an IRI of its own. */
  private Schema compile(JsonObject schema) {
    return schemas.getSchema(SchemaLocation.of(COMPONENTS_IRI + "/inline/" + inlineSchemas++),
        tree(refsToComponents(schema)));
  }

  /**
   * The schema with its {@code $ref}s to the document's components ({@code #/components/schemas/X})
   * pointing at their copy under {@link #COMPONENTS_IRI}; a reference anywhere else is refused at start.
   */
  private static JsonObject refsToComponents(JsonObject schema) {
    JsonObject copy = new JsonObject();
    schema.forEach(field -> copy.put(field.getKey(), field.getKey().equals("$ref") && field.getValue() instanceof String ref
        ? componentRef(ref) : refsToComponents(field.getValue())));
    return copy;
  }

  private static Object refsToComponents(Object value) {
    if (value instanceof JsonObject object) {
      return refsToComponents(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(refsToComponents(item)));
      return copy;
    }
    return value;
  }

  private static String componentRef(String ref) {
    if (!ref.startsWith(COMPONENT_REF)) {
      throw new IllegalArgumentException(RESOURCE + ": only references to " + COMPONENT_REF + "* are supported: " + ref);
    }
    return COMPONENTS_IRI + "#/$defs/" + ref.substring(COMPONENT_REF.length());
  }

  private static JsonNode tree(Object json) {
    try {
      return JSON.readTree(json instanceof JsonObject object ? object.encode()
          : json instanceof JsonArray array ? array.encode() : Json.encode(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Vert.x wrote JSON that Jackson cannot read", e);
    }
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

  /** Fails with every error networknt found, each named by where it is in the value ({@code what}). */
  private static void requireValid(Schema schema, JsonNode value, String what) {
    List<Error> errors = schema.validate(value);
    if (!errors.isEmpty()) {
      throw new ValidatorException(errors.stream().map(error -> describe(what, error)).collect(Collectors.joining("; ")),
          ValidatorErrorType.INVALID_VALUE);
    }
  }

  private static String describe(String what, Error error) {
    String at = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
    return what + (at.isEmpty() || at.equals("/") || at.equals("$") ? "" : " at " + at) + ": " + error.getMessage();
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

  /** One operation's parameters and JSON body, each with its schema compiled once. */
  private record OperationCheck(List<ParameterCheck> parameters, RequestBody body, Schema bodySchema) {

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
        throw new HttpProblem(415, "unsupported-media-type", "Unsupported media type",
            "send application/json (the request said " + (contentType == null ? "nothing" : contentType) + ")");
      }
      JsonNode json;
      try {
        json = JSON.readTree(raw.getBytes());
      } catch (IOException e) {
        throw new ValidatorException("the body is not valid JSON: " + firstLine(e),
            ValidatorErrorType.ILLEGAL_VALUE);
      }
      if (json == null || json.isMissingNode()) {
        throw new ValidatorException("the body is not valid JSON", ValidatorErrorType.ILLEGAL_VALUE);
      }
      requireValid(bodySchema, json, "the body");
    }

    /** Jackson's message without the source excerpt it appends on later lines. */
    private static String firstLine(IOException e) {
      String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
  }

  /** One parameter: where to find it, how to read its text as the schema's type, and the schema. */
  private record ParameterCheck(Parameter parameter, ParameterTransformer transformer, Schema schema) {

    void validate(RoutingContext ctx) {
      if (parameter.getIn() == Location.QUERY && parameter.getSchemaType() == SchemaType.ARRAY && itemsAreStrings()) {
        validateStrings(ctx.queryParam(parameter.getName()));
        return;
      }
      String raw = rawValue(ctx);
      if (raw == null) {
        if (parameter.isRequired()) {
          throw ValidatorException.createMissingRequiredParameter(parameter);
        }
        return;
      }
      requireValid(schema, typed(raw), parameter.getIn() + " parameter " + parameter.getName());
    }

    /**
     * A repeated string parameter ({@code ?customer=a&customer=b}) is its values as they came: the form
     * transformer reads each as JSON first, and a customer id that JSON reads as a number (or a prefix
     * of one) would be refused as "integer found, string expected".
     */
    private void validateStrings(List<String> values) {
      if (values.isEmpty()) {
        if (parameter.isRequired()) {
          throw ValidatorException.createMissingRequiredParameter(parameter);
        }
        return;
      }
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      values.forEach(array::add);
      requireValid(schema, array, parameter.getIn() + " parameter " + parameter.getName());
    }

    private boolean itemsAreStrings() {
      Object items = parameter.getSchema().get("items");
      return items instanceof JsonObject item && "string".equals(item.getString("type"));
    }

    /**
     * The transformers try to read any text as JSON first; for a string parameter (an idempotency key,
     * a sku) that is a decoding exception per request for nothing.
     */
    private JsonNode typed(String raw) {
      if (parameter.getSchemaType() == SchemaType.STRING) {
        return TextNode.valueOf(raw);
      }
      return tree(transformer.transform(parameter, raw));
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
