package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Authorization headers are shaped as {@code Bearer <JWT>}. */
class BearerHeaderTest {

  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLV8";

  @Test
  void acceptsTheSchemeInAnyCaseFollowedBySpacesAndThreeBase64UrlParts() {
    assertThat(BearerHeader.isBearerJwt("Bearer " + JWT)).isTrue();
    assertThat(BearerHeader.isBearerJwt("bEaReR   " + JWT + "  ")).isTrue();
    assertThat(BearerHeader.isBearerJwt("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.")).as("unsecured: no signature")
        .isTrue();
  }

  @Test
  void refusesOtherSchemesAndTokensNotShapedAsAJwt() {
    assertThat(BearerHeader.isBearerJwt("Bearer")).isFalse();
    assertThat(BearerHeader.isBearerJwt("Bearer" + JWT)).as("no space").isFalse();
    assertThat(BearerHeader.isBearerJwt(JWT)).as("no scheme").isFalse();
    assertThat(BearerHeader.isBearerJwt("Basic YWxpY2U6c2VjcmV0")).isFalse();
    assertThat(BearerHeader.isBearerJwt("Bearer abc.def")).as("two parts").isFalse();
    assertThat(BearerHeader.isBearerJwt("Bearer a.b.c.d")).as("four parts").isFalse();
    assertThat(BearerHeader.isBearerJwt("Bearer .b.c")).as("empty header part").isFalse();
    assertThat(BearerHeader.isBearerJwt("Bearer a..c")).as("empty payload").isFalse();
    assertThat(BearerHeader.isBearerJwt("Bearer a+b.c/d.e=")).as("base64, not base64url").isFalse();
    assertThat(BearerHeader.isBearerJwt("Bearer a.b.c d")).as("a space inside").isFalse();
  }

  @Test
  void takesOnlyTheBase64UrlAlphabetNotItsNeighboursOrOtherLetters() {
    assertThat(BearerHeader.isBearerJwt("Bearer AZaz09-_.x.y")).isTrue();
    for (String outside : new String[] {"@", "[", "`", "{", "/", ":", "\u00e9", "\uff21", "\u0660", "\u007f"}) {
      assertThat(BearerHeader.isBearerJwt("Bearer a" + outside + ".b.c")).as("U+%04X", (int) outside.charAt(0))
          .isFalse();
    }
  }

  @Test
  void theTokenIsWhatFollowsTheSchemeAndItsSpaces() {
    assertThat(BearerHeader.tokenOf("Bearer " + JWT)).hasValue(JWT);
    assertThat(BearerHeader.tokenOf("  bEaReR   " + JWT + "  ")).hasValue(JWT);
    assertThat(BearerHeader.tokenOf(null)).isEmpty();
    assertThat(BearerHeader.tokenOf("Bearer")).isEmpty();
    assertThat(BearerHeader.tokenOf("Bearer   ")).isEmpty();
    assertThat(BearerHeader.tokenOf("Bearer" + JWT)).as("no space").isEmpty();
    assertThat(BearerHeader.tokenOf("Basic YWxpY2U6c2VjcmV0")).isEmpty();
  }
}
