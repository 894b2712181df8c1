package io.ordermesh.launcher.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event-bus TLS settings are checked at the start, with the option's name, not by the first peer's handshake. */
class EventBusTlsTest {

  private static final String PASSWORD = "cluster-store-password";

  @TempDir
  Path dir;

  @Test
  void trustsTheKeystoreItselfWhenNoTruststoreIsGiven() throws Exception {
    Path keys = TestKeyStores.keyPair(dir.resolve("cluster.p12"), PASSWORD);

    EventBusTls tls = EventBusTls.opened(keys, null, PASSWORD);
    EventBusOptions options = tls.applyTo(new EventBusOptions());

    assertThat(tls.truststore()).isEqualTo(keys);
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getClientAuth()).as("peers must show a certificate too").isEqualTo(ClientAuth.REQUIRED);
    assertThat(tls.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void refusesAWrongPasswordNamingTheOption() throws Exception {
    Path keys = TestKeyStores.keyPair(dir.resolve("cluster.p12"), PASSWORD);

    assertThatThrownBy(() -> EventBusTls.opened(keys, null, "not-the-password"))
        .hasMessageStartingWith("--event-bus-keystore " + keys + " cannot be opened");
  }

  @Test
  void refusesAKeystoreWithoutAPrivateKey() throws Exception {
    Path keys = TestKeyStores.keyPair(dir.resolve("cluster.p12"), PASSWORD);
    Path certificateOnly = TestKeyStores.certificateOf(keys, dir.resolve("trust.p12"), PASSWORD);

    assertThatThrownBy(() -> EventBusTls.opened(certificateOnly, null, PASSWORD)).hasMessageContaining("no private key");
    assertThat(EventBusTls.opened(keys, certificateOnly, PASSWORD).truststore()).isEqualTo(certificateOnly);
  }

  @Test
  void refusesAMissingFileOrPassword() {
    assertThatThrownBy(() -> EventBusTls.opened(dir.resolve("none.p12"), null, PASSWORD))
        .hasMessageStartingWith("--event-bus-keystore " + dir.resolve("none.p12") + " cannot be opened");
    assertThatThrownBy(() -> EventBusTls.opened(dir.resolve("none.p12"), null, null))
        .hasMessageContaining("needs --event-bus-keystore-password");
  }
}
