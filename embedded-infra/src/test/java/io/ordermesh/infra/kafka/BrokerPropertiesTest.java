package io.ordermesh.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The embedded broker's threads follow the box it shares, up to Kafka's own defaults. */
class BrokerPropertiesTest {

  @Test
  void twoCoresGetTwoRequestHandlersAndOneNetworkThread() {
    assertThat(threadsFor(2)).isEqualTo(threads(2, 1, 2));
  }

  @Test
  void oneCoreStillGetsTwoRequestHandlers() {
    assertThat(threadsFor(1)).isEqualTo(threads(2, 1, 2));
  }

  @Test
  void aLargeMachineGetsNoMoreThanKafkasDefaults() {
    assertThat(threadsFor(64)).isEqualTo(threads(8, 3, 10));
  }

  private static Properties threadsFor(int cores) {
    Properties props = new Properties();
    BrokerProperties.putThreads(props, cores);
    return props;
  }

  private static Properties threads(int requestHandlers, int network, int background) {
    Properties props = new Properties();
    props.putAll(Map.of("num.io.threads", Integer.toString(requestHandlers),
        "num.network.threads", Integer.toString(network),
        "background.threads", Integer.toString(background)));
    return props;
  }
}
