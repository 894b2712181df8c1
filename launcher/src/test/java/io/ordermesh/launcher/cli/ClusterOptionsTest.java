package io.ordermesh.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordermesh.launcher.Main;
import io.ordermesh.launcher.node.ClusterSettings;
import io.ordermesh.launcher.node.TestKeyStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code run}'s cluster options become, and which combinations a start refuses. */
class ClusterOptionsTest {

  @TempDir
  Path dir;

  @Test
  void givesTheEventBusTlsWhenAKeystoreIsNamedWithThePasswordFromTheEnvironment() throws Exception {
    Path keys = TestKeyStores.keyPair(dir.resolve("cluster.p12"), "store-password");

    ClusterSettings settings = cluster(Map.of("ORDERMESH_EVENT_BUS_KEYSTORE_PASSWORD", "store-password"),
        "--cluster", "--event-bus-keystore", keys.toString()).settings().orElseThrow();

    assertThat(settings.eventBusTls()).hasValueSatisfying(tls -> assertThat(tls.truststore()).isEqualTo(keys));
  }

  @Test
  void leavesTheEventBusPlainByDefault() {
    assertThat(cluster(Map.of(), "--cluster").settings().orElseThrow().eventBusTls()).isEmpty();
  }

  @Test
  void refusesTlsOptionsThatCannotTakeEffect() {
    assertThatThrownBy(() -> cluster(Map.of(), "--event-bus-keystore", "cluster.p12").settings())
        .hasMessage("--event-bus-keystore needs --cluster");
    assertThatThrownBy(() -> cluster(Map.of(), "--cluster", "--event-bus-truststore", "trust.p12").settings())
        .hasMessage("--event-bus-truststore needs --event-bus-keystore");
  }

  private static ClusterOptions cluster(Map<String, String> env, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "run";
    System.arraycopy(args, 0, command, 1, args.length);
    var parsed = Main.commandLine().setDefaultValueProvider(new ConfigFileDefaults(env)).parseArgs(command);
    return ((RunCommand) parsed.subcommand().commandSpec().userObject()).cluster;
  }
}
