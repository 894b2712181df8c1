package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * An answer the gateway sends on as JSON text is taken as the service sent it, whether the service
 * knew to send text or, from before that, sent the object.
 */
class BusClientTest {

  private static final JsonObject PROFILE = new JsonObject().put("id", "alice").put("creditAvailable", "90.00");

  @Test
  void sendsOnTheJsonTextAServiceAnsweredWith() {
    Buffer text = PROFILE.toBuffer();

    assertThat(BusClient.jsonText(text)).isSameAs(text);
  }

  @Test
  void encodesTheObjectAServiceThatDoesNotKnowTheFlagAnswersWith() {
    assertThat(BusClient.jsonText(PROFILE.copy()).toString()).isEqualTo(PROFILE.encode());
  }

  @Test
  void refusesAnAnswerThatIsNeitherJsonTextNorAnObject() {
    assertThatThrownBy(() -> BusClient.jsonText("alice")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> BusClient.jsonText(null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nothing");
  }
}
