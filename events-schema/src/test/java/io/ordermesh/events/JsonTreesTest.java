package io.ordermesh.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCUMENT = """
      {"z": "last letter first", "int": 7, "long": 12345678901, "big": 123456789012345678901234567890,
       "float": 2.5, "yes": true, "no": false, "nothing": null, "empty": {}, "none": [],
       "lines": [{"sku": "SKU-1", "quantity": 2, "tags": ["a", null, 1.0]}, [[], {}]]}""";

  @Test
  void givesTheValuesJacksonsConversionGives() throws Exception {
    JsonNode tree = JSON.readTree(DOCUMENT);

    JsonObject walked = JsonTrees.object(tree);
    JsonObject converted = new JsonObject(JSON.convertValue(tree, new TypeReference<Map<String, Object>>() {
    }));

    assertThat(walked).isEqualTo(converted);
    assertThat(walked.encode()).isEqualTo(converted.encode());
  }

  @Test
  void keepsEachNumberAsTheParserReadIt() throws Exception {
    JsonObject walked = JsonTrees.object(JSON.readTree(DOCUMENT));

    assertThat(List.of("int", "long", "big", "float").stream().map(name -> walked.getValue(name).getClass().getSimpleName()))
        .containsExactly("Integer", "Long", "BigInteger", "Double");
  }

  @Test
  void keepsTheFieldsInTheirOrderAndNestsVertxTypes() throws Exception {
    JsonObject walked = JsonTrees.object(JSON.readTree(DOCUMENT));

    assertThat(walked.fieldNames()).containsExactly("z", "int", "long", "big", "float", "yes", "no", "nothing", "empty",
        "none", "lines");
    assertThat(walked.containsKey("nothing")).isTrue();
    // getMap()/getList() give what is stored: getValue() would wrap a raw map or list and hide it.
    assertThat(walked.getMap().get("lines")).isInstanceOf(JsonArray.class);
    assertThat(walked.getJsonArray("lines").getList().get(0)).isInstanceOf(JsonObject.class);
    assertThat(walked.getJsonArray("lines").getList().get(1)).isInstanceOf(JsonArray.class);
    assertThat(walked.getJsonArray("lines").getJsonObject(0).getJsonArray("tags").getList()).containsExactly("a", null, 1.0);
  }
}
