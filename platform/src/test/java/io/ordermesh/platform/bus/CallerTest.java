package io.ordermesh.platform.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caller's roles as a service reads them back from the headers the caller was sent with. */
class CallerTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void aRoleThatCrossesAsItselfArrivesAsItselfAndTheOthersWouldArriveChanged() {
    vertx.eventBus().<Object>consumer("roles", m -> m.reply(new JsonArray(List.copyOf(Caller.of(m).roles()))));
    List<String> crossing = List.of("admin", "viewer", "ops-team.eu");
    List<String> changed = List.of("x,admin", " admin", "admin\t", "admin\u0001", "\u001Fadmin");

    for (String role : crossing) {
      assertThat(Caller.crossesAsItself(role)).as(role).isTrue();
      assertThat(rolesArriving(role)).as(role).containsExactly(role);
    }
    for (String role : changed) {
      assertThat(Caller.crossesAsItself(role)).as("U+%04X in %s", (int) role.charAt(0), role).isFalse();
      assertThat(rolesArriving(role)).as(role).isNotEqualTo(List.of(role));
    }
    assertThat(Caller.crossesAsItself("")).isFalse();
  }

  private List<Object> rolesArriving(String role) {
    Caller caller = new Caller("alice", Set.of(role), "c-1", null);
    return vertx.eventBus().<JsonArray>request("roles", null, caller.deliveryOptions(1_000)).await().body().getList();
  }
}
