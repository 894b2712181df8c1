package io.ordermesh.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The embedded broker's threads follow the box it shares, up to Kafka's own defaults. */
class BrokerPropertiesTest {

  @Test
  void twoCoresGetTwoRequestHandlersAndOneNetworkThread() {
    Properties props = threadsFor(2);

    assertThat(props.getProperty("num.io.threads")).isEqualTo("2");
    assertThat(props.getProperty("num.network.threads")).isEqualTo("1");
    assertThat(props.getProperty("background.threads")).isEqualTo("2");
  }

  @Test
  void oneCoreStillGetsTwoRequestHandlers() {
    assertThat(threadsFor(1).getProperty("num.io.threads")).isEqualTo("2");
    assertThat(threadsFor(1).getProperty("num.network.threads")).isEqualTo("1");
  }

  @Test
  void aLargeMachineGetsNoMoreThanKafkasDefaults() {
    Properties props = threadsFor(64);

    assertThat(props.getProperty("num.io.threads")).isEqualTo("8");
    assertThat(props.getProperty("num.network.threads")).isEqualTo("3");
    assertThat(props.getProperty("background.threads")).isEqualTo("10");
  }

  private static Properties threadsFor(int cores) {
    Properties props = new Properties();
    BrokerProperties.putThreads(props, cores);
    return props;
  }
}
