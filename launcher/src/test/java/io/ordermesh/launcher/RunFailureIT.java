package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code run} from the fat jar, the way an operator starts it, when its start cannot succeed. */
class RunFailureIT {

  private static final String JAR = System.getProperty("ordermesh.jar", "target/ordermesh.jar");
  /** Well below --ready-timeout, which a stop once waited out for a node that was never asked for. */
  private static final long EXIT_WITHIN_SECONDS = 30;

  @Test
  void aStartThatFailsBeforeItsNodeExitsAtOnceWithItsReason() throws Exception {
    Path home = TestInfra.newHome("ordermesh-failed-run");
    Path output = home.resolve("run.log");
    Process run = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", Path.of(JAR).toAbsolutePath().toString(), "run",
        "--home", home.toString(),
        // External infrastructure that is never reached: the start fails on the missing key first.
        "--pg", "postgres://u:p@127.0.0.1:1/none", "--kafka", "127.0.0.1:1",
        "--jwt-public-key", home.resolve("no-such-key.pem").toString(),
        "--ready-timeout", "120s"))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();

    boolean exited = run.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      run.destroyForcibly();
    }

    assertThat(exited).as("exited within %d s; output:%n%s", EXIT_WITHIN_SECONDS, Files.readString(output)).isTrue();
    assertThat(run.exitValue()).isNotZero();
    assertThat(Files.readString(output)).contains("no-such-key.pem");
  }
}
