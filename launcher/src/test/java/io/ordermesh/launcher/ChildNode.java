package io.ordermesh.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An Ordermesh node in a JVM of its own, started from the fat jar, the way an operator runs one. */
final class ChildNode {

  private static final String JAR = System.getProperty("ordermesh.jar", "target/ordermesh.jar");

  private final Path home;
  private final String namespace;
  private final List<String> arguments;
  private Process process;
  /** Lines the log had when this run of the node began: the log is appended to across restarts. */
  private int linesBeforeStart;

  private ChildNode(Path home, String namespace, List<String> arguments) {
    this.home = home;
    this.namespace = namespace;
    this.arguments = List.copyOf(arguments);
  }

  /**
   * A clustered node on the shared test PostgreSQL and Kafka with the test JWT key and the given
   * world seeded, plus {@code extra} arguments (services, ports, node id).
   */
  static ChildNode clustered(String clusterName, int clusterPort, String members, TestWorld world, String... extra) {
    EmbeddedInfra infra = TestInfra.shared();
    return create(null, infra.postgresUri().orElseThrow(), infra.kafkaBootstrap().orElseThrow(), clusterName,
        "127.0.0.1", clusterPort, members, world, extra);
  }

  /**
   * A clustered node that runs inside network namespace {@code namespace} (a {@link NetworkLab} host
   * whose address is {@code host}), reaching PostgreSQL and Kafka at the given (relayed) addresses.
   */
  static ChildNode inNamespace(String namespace, String host, String pgUri, String kafka, String clusterName,
      int clusterPort, String members, TestWorld world, String... extra) {
    return create(namespace, pgUri, kafka, clusterName, host, clusterPort, members, world, extra);
  }

  private static ChildNode create(String namespace, String pgUri, String kafka, String clusterName, String host,
      int clusterPort, String members, TestWorld world, String... extra) {
    Path home = TestInfra.newHome("ordermesh-child");
    try {
      Path seed = Files.writeString(home.resolve("seed.json"), world.seed().encode());
      List<String> args = new ArrayList<>(List.of("run",
          "--home", home.toString(),
          "--log-format", "json",
          "--mailbox-port", Integer.toString(TestInfra.freePort()),
          "--pg", pgUri,
          "--kafka", kafka,
          "--jwt-secret", TestNodes.TEST_SECRET,
          "--seed-file", seed.toString(),
          "--cluster",
          "--cluster-name", clusterName,
          "--cluster-host", host,
          "--cluster-port", Integer.toString(clusterPort),
          "--cluster-members", members));
      args.addAll(List.of(extra));
      return new ChildNode(home, namespace, args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ChildNode start() {
    List<String> command = new ArrayList<>();
    if (namespace != null) {
      // `ip netns exec` execs the command in place: the process started here is the JVM itself.
      command.addAll(List.of("ip", "netns", "exec", namespace));
    }
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "-jar", Path.of(JAR).toAbsolutePath().toString()));
    command.addAll(arguments);
    try {
      linesBeforeStart = logOfEveryRun().size();
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value given for an option, e.g. {@code --management-port}. */
  String argument(String option) {
    return arguments.get(arguments.indexOf(option) + 1);
  }

  Path log() {
    return home.resolve("node.log");
  }

  /** Whether this run of the node (not an earlier one, killed or stopped) has printed its ready banner. */
  boolean isReady() {
    return logOfThisRun().stream().anyMatch(line -> line.startsWith("Ordermesh is ready"));
  }

  /** The log lines this run of the node has written so far. */
  List<String> logOfThisRun() {
    List<String> lines = logOfEveryRun();
    return lines.subList(Math.min(linesBeforeStart, lines.size()), lines.size());
  }

  private List<String> logOfEveryRun() {
    try {
      return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster, sockets cut by the kernel. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the graceful way, as Ctrl-C or an orchestrator stops it. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
