package io.ordermesh.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Jackson tree as Vert.x JSON in one walk: the values {@code ObjectMapper.convertValue} would give
 * (numbers as the parser read them, objects in field order, nulls kept), with nested objects and arrays
 * already {@link JsonObject} and {@link JsonArray} rather than maps and lists. A validated event's data
 * is handed to its handler without being written out to a token buffer and read back.
 */
final class JsonTrees {

  private JsonTrees() {
  }

  static JsonObject object(JsonNode node) {
    JsonObject json = new JsonObject(new LinkedHashMap<>(capacityFor(node.size())));
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      json.put(field.getKey(), value(field.getValue()));
    }
    return json;
  }

  private static JsonArray array(JsonNode node) {
    JsonArray json = new JsonArray(new ArrayList<>(node.size()));
    for (JsonNode item : node) {
      json.add(value(item));
    }
    return json;
  }

  private static Object value(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> object(node);
      case ARRAY -> array(node);
      case STRING -> node.textValue();
      case NUMBER -> node.numberValue();
      case BOOLEAN -> node.booleanValue();
      case NULL -> null;
      // A parsed document holds none of these: they come from trees built in code.
      case BINARY, POJO, MISSING -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    };
  }

  /** A map that holds {@code size} fields without growing (its default load factor is 0.75). */
  private static int capacityFor(int size) {
    return size * 4 / 3 + 1;
  }
}
