package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An operator pointing a node at a Kafka that does not answer is told so, by name, not only that it timed out. */
class UnreachableKafkaIT {

  private static final String JAR = System.getProperty("ordermesh.jar", "target/ordermesh.jar");

  @Test
  void aNodeWhoseKafkaDoesNotAnswerFailsNamingKafka() throws Exception {
    EmbeddedInfra infra = TestInfra.shared();
    String nowhere = "127.0.0.1:" + TestInfra.freePort();
    Path home = TestInfra.newHome("ordermesh-no-kafka");
    Process node = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", Path.of(JAR).toAbsolutePath().toString(),
        "run", "--home", home.toString(), "--pg", infra.postgresUri().orElseThrow(), "--kafka", nowhere,
        "--http-port", "0", "--mailbox-port", Integer.toString(TestInfra.freePort()), "--ready-timeout", "5s",
        "--services", "inventory"))
        .redirectErrorStream(true).redirectOutput(home.resolve("node.log").toFile()).start();
    try {
      boolean exited = node.waitFor(90, TimeUnit.SECONDS);
      String output = Files.readString(home.resolve("node.log"), StandardCharsets.UTF_8);

      assertThat(exited).as(output).isTrue();
      assertThat(node.exitValue()).as(output).isNotZero();
      assertThat(output).contains("Kafka at " + nowhere + " has not answered");
    } finally {
      node.destroyForcibly();
    }
  }
}
