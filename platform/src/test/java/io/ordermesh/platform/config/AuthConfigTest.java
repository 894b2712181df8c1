package io.ordermesh.platform.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthConfigTest {

  @Test
  void refusesAnHs256KeyShorterThanTheHashAndSaysHowToMakeOne() {
    assertThatThrownBy(() -> new AuthConfig("change-me", Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes").hasMessageContaining("openssl rand -base64 32");
    assertThatThrownBy(() -> new AuthConfig("x".repeat(31), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fetchesAnExternalIssuersKeysOnlyOverHttpsOrFromThisHost() {
    String key = "k".repeat(32);
    assertThatThrownBy(() -> new AuthConfig(key, Duration.ofHours(1), null, "http://issuer.example/.well-known/jwks.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be https");
    assertThatThrownBy(() -> new AuthConfig(key, Duration.ofHours(1), null, "ftp://issuer.example/jwks.json"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> new AuthConfig(key, Duration.ofHours(1), null, "https://issuer.example/.well-known/jwks.json"))
        .doesNotThrowAnyException();
    assertThatCode(() -> new AuthConfig(key, Duration.ofHours(1), null, "http://127.0.0.1:8181/jwks.json"))
        .doesNotThrowAnyException();
    assertThatCode(() -> new AuthConfig(key, Duration.ofHours(1), null, "http://localhost/jwks.json"))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsAKeyOfThirtyTwoBytesOrMore() {
    assertThatCode(() -> new AuthConfig("x".repeat(32), Duration.ofHours(1))).doesNotThrowAnyException();
    assertThatCode(() -> new AuthConfig("ü".repeat(16), Duration.ofHours(1))).as("bytes, not characters")
        .doesNotThrowAnyException();
  }
}
