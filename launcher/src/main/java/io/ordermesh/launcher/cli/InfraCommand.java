package io.ordermesh.launcher.cli;

import io.ordermesh.launcher.EmbeddedInfra;
import io.ordermesh.platform.config.Defaults;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ordermesh infra}: only the embedded PostgreSQL and Kafka, for several nodes on one box. */
@Command(name = "infra", mixinStandardHelpOptions = true,
    description = "Run only embedded PostgreSQL and Kafka, and print their URLs for run --pg/--kafka.")
public final class InfraCommand implements Callable<Integer> {

  @Mixin
  HomeOption homeOption;

  @Option(names = "--pg-port", defaultValue = "" + Defaults.EMBEDDED_PG_PORT, paramLabel = "N",
      description = "PostgreSQL port. Default: ${DEFAULT-VALUE}")
  int pgPort;

  @Option(names = "--kafka-port", defaultValue = "" + Defaults.EMBEDDED_KAFKA_PORT, paramLabel = "N",
      description = "Kafka port (its controller takes the next one). Default: ${DEFAULT-VALUE}")
  int kafkaPort;

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedInfra infra = EmbeddedInfra.start(homeOption.home(),
        new EmbeddedInfra.Ports(pgPort, kafkaPort, kafkaPort + 1), true, true, Defaults.KAFKA_PARTITIONS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      infra.close();
      stopped.countDown();
    }, "ordermesh-infra-shutdown"));
    System.out.println("postgres " + infra.postgresUri().orElseThrow());
    System.out.println("kafka    " + infra.kafkaBootstrap().orElseThrow());
    System.out.println("Run nodes with: ./ordermesh run --cluster --pg '" + infra.postgresUri().orElseThrow()
        + "' --kafka " + infra.kafkaBootstrap().orElseThrow() + " --home <a home per node>");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
