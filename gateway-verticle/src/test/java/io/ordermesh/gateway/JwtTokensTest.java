package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import org.junit.jupiter.api.Test;

/** The roles a token grants, as the gateway and the services behind it will both read them. */
class JwtTokensTest {

  @Test
  void dropsRolesThatTheServicesWouldReadDifferently() {
    User user = User.create(new JsonObject().put("sub", "mallory").put("roles", new JsonArray()
        .add("viewer").add("x,admin").add(" admin").add("admin\t").add("ad\u000Bmin").add("\radmin")
        .add("admin\u0001").add("\u001Fadmin").add("").add(42)));

    assertThat(JwtTokens.roles(user))
        .as("a comma, a space or a control character would split or trim into admin behind the gateway")
        .containsExactly("viewer");
  }

  @Test
  void keepsAnAdminRoleAsItIs() {
    User user = User.create(new JsonObject().put("sub", "ops").put("roles", new JsonArray().add("admin")));

    assertThat(JwtTokens.roles(user)).containsExactly("admin");
  }

  @Test
  void grantsNoRoleToATokenWithoutTheClaim() {
    User user = User.create(new JsonObject().put("sub", "alice"));

    assertThat(JwtTokens.roles(user)).isEmpty();
  }
}
