package io.ordermesh.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.ordermesh.platform.config.OrdermeshConfig.NotificationConfig;
import io.ordermesh.platform.config.OrdermeshConfig.SagaConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --policy EDGE.SETTING=VALUE} changes the one setting of the one edge it names, and refuses a typo. */
class PolicyOverridesTest {

  @Test
  void aGatewayWideSettingReachesEveryServiceAndAServiceSettingOnlyItsOwn() {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("gateway.maxConcurrent", "512");
    entries.put("gateway.inventory.timeoutMs", "250");
    entries.put("gateway.order.breakerMaxFailures", "9");

    GatewayConfig gateway = PolicyOverrides.parse(entries).applyTo(GatewayConfig.defaults());

    assertThat(gateway.policyFor("user").maxConcurrent()).isEqualTo(512);
    assertThat(gateway.policyFor("user").timeout()).isEqualTo(Defaults.BUS_REQUEST_TIMEOUT);
    assertThat(gateway.policyFor("inventory").timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(gateway.policyFor("inventory").maxConcurrent()).isEqualTo(512);
    assertThat(gateway.policyFor("order").breakerMaxFailures()).isEqualTo(9);
    assertThat(gateway.policyFor("user").breakerMaxFailures()).isEqualTo(Defaults.BREAKER_MAX_FAILURES);
  }

  @Test
  void theCustomerCheckAndTheWebhookHaveTheirOwnEdges() {
    PolicyOverrides overrides = PolicyOverrides.parse(Map.of("order.user.timeoutMs", "800",
        "notification.provider.parkForMs", "5000", "notification.provider.maxAttempts", "5"));

    SagaConfig saga = overrides.applyTo(new SagaConfig(Duration.ofSeconds(30)));
    NotificationConfig provider = overrides.applyTo(NotificationConfig.localMailbox(8025));

    assertThat(saga.customerCheck().timeout()).isEqualTo(Duration.ofMillis(800));
    assertThat(provider.parkFor()).isEqualTo(Duration.ofSeconds(5));
    assertThat(provider.maxAttempts()).isEqualTo(5);
    assertThat(provider.timeout()).isEqualTo(NotificationConfig.localMailbox(8025).timeout());
  }

  @Test
  void aTypoInAnEdgeASettingOrAValueIsRefusedWithWhatIsKnown() {
    assertThatThrownBy(() -> PolicyOverrides.parse(Map.of("gateway.inventroy.timeoutMs", "250")))
        .hasMessageContaining("unknown edge 'gateway.inventroy'").hasMessageContaining("gateway.inventory");
    assertThatThrownBy(() -> PolicyOverrides.parse(Map.of("gateway.timeout", "2s")))
        .hasMessageContaining("unknown setting 'timeout'").hasMessageContaining("timeoutMs");
    assertThatThrownBy(() -> PolicyOverrides.parse(Map.of("gateway.timeoutMs", "2s")))
        .hasMessageContaining("'2s' is not a number of milliseconds");
    assertThatThrownBy(() -> PolicyOverrides.parse(Map.of("notification.provider.maxConcurrent", "8")))
        .hasMessageContaining("unknown setting 'maxConcurrent'");
  }

  @Test
  void noOverridesLeaveTheDefaults() {
    PolicyOverrides none = PolicyOverrides.parse(Map.of());

    assertThat(none.applyTo(GatewayConfig.defaults())).isEqualTo(GatewayConfig.defaults());
    assertThat(none.applyTo(new SagaConfig(Duration.ofSeconds(30)))).isEqualTo(new SagaConfig(Duration.ofSeconds(30)));
  }
}
