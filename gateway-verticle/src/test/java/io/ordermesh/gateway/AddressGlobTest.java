package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AddressGlobTest {

  @Test
  void matchesStarsQuestionMarksAndLiterals() {
    assertThat(AddressGlob.of("orders.*").matches("orders.place")).isTrue();
    assertThat(AddressGlob.of("orders.*").matches("orders.")).isTrue();
    assertThat(AddressGlob.of("orders.*").matches("users.get")).isFalse();
    assertThat(AddressGlob.of("*.get").matches("users.get")).isTrue();
    assertThat(AddressGlob.of("*.get").matches("users.get.slow")).isFalse();
    assertThat(AddressGlob.of("users.ge?").matches("users.get")).isTrue();
    assertThat(AddressGlob.of("users.ge?").matches("users.ge")).isFalse();
    assertThat(AddressGlob.of("*").matches("")).isTrue();
    assertThat(AddressGlob.of("").matches("users.get")).isFalse();
    assertThat(AddressGlob.of("a*b*c").matches("a-b-b-c")).isTrue();
    assertThat(AddressGlob.of("a*b*c").matches("a-c-b")).isFalse();
  }

  @Test
  void takesRegexCharactersLiterally() {
    assertThat(AddressGlob.of("orders.place").matches("ordersXplace")).isFalse();
    assertThat(AddressGlob.of("a+b[c]").matches("a+b[c]")).isTrue();
    assertThat(AddressGlob.of("a*").matches("a*")).isTrue();
  }

  /**
   * The pattern that held the gateway's event loop: a regex of eight {@code .*} backtracks through
   * every way to split the address before it gives up. The timeout only keeps a regression from
   * hanging the build.
   */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void manyStarsCostNoMoreThanTheStringsLengths() {
    String address = "ordermesh.outbox.appended.inventory.and.some.more.segments.to.walk";
    AddressGlob stars = AddressGlob.of("**********************Z");

    for (int i = 0; i < 10_000; i++) {
      assertThat(stars.matches(address)).isFalse();
    }
  }

  @Test
  void refusesAFilterLongerThanAnyAddress() {
    assertThatThrownBy(() -> SniffStream.filter("*".repeat(AddressGlob.MAX_LENGTH + 1), null))
        .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.getMessage()).contains("at most 200"));
    assertThat(SniffStream.filter("users.*", "c-1")
        .test(new JsonObject().put("address", "users.get").put("correlationId", "c-1"))).isTrue();
    assertThat(SniffStream.filter("users.*", "c-1")
        .test(new JsonObject().put("address", "users.get").put("correlationId", "c-2"))).isFalse();
  }
}
