package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The partition test's network lab cleans up after itself and after runs that were killed. */
class NetworkLabTest {

  /** Above any possible pid (Linux caps pid_max at 2^22), so its owner is surely gone. */
  private static final String DEAD_RUN = "omp4194305";

  @Test
  void removesWhatAKilledRunLeftAndEverythingItCreated() throws Exception {
    Optional<String> unavailable = NetworkLab.unavailableBecause();
    assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElseThrow());
    sh("ip", "netns", "add", DEAD_RUN + "-alpha");
    sh("ip", "link", "add", DEAD_RUN + "br", "type", "bridge");

    String host;
    String namespace;
    try (NetworkLab lab = NetworkLab.create()) {
      assertThat(sh("ip", "netns", "list")).doesNotContain(DEAD_RUN);
      assertThat(sh("ip", "-o", "link", "show")).doesNotContain(DEAD_RUN);

      host = lab.addHost("alpha");
      namespace = lab.namespace("alpha");
      assertThat(sh("ip", "-n", namespace, "-4", "addr")).contains(host + "/24");
      lab.cut("alpha");
      assertThat(sh("ip", "-n", namespace, "-o", "link", "show")).as("cable out").contains("NO-CARRIER");
      lab.heal("alpha");
      assertThat(sh("ip", "-n", namespace, "-o", "link", "show")).as("cable in").doesNotContain("NO-CARRIER");
    }
    assertThat(sh("ip", "netns", "list")).doesNotContain(namespace);
    assertThat(sh("ip", "-4", "addr")).doesNotContain(NetworkLab.bridgeAddress());
  }

  private static String sh(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return output;
  }
}
