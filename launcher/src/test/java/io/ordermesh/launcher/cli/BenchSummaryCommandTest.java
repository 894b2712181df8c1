package io.ordermesh.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's directory as run-all leaves it: reads measured in rounds count as one read each. */
class BenchSummaryCommandTest {

  @TempDir
  Path dir;

  @Test
  void mergesAReadsRoundsInRoundOrderAndPrefersAWholeFile() throws Exception {
    write("read-gateway-wrk.round-1.json", read(300_000));
    write("read-gateway-wrk.round-2.json", read(100_000));
    write("read-gateway-wrk.round-10.json", read(200_000));
    write("read-nginx-static-wrk.json", read(250_000));
    write("read-nginx-static-wrk.round-1.json", read(1));

    JsonObject reads = summary().getJsonObject("reads");

    assertThat(reads.getJsonObject("gatewayWrk").getJsonArray("roundsRequestsPerSecond"))
        .as("by round number, not by name").containsExactly(30_000.0, 10_000.0, 20_000.0);
    assertThat(reads.getJsonObject("gatewayWrk").getDouble("requestsPerSecond")).isEqualTo(20_000.0);
    assertThat(reads.getJsonObject("nginxToPlainBackendStatic").getDouble("requestsPerSecond"))
        .as("a read measured in one go is taken as it is").isEqualTo(25_000.0);
  }

  private JsonObject summary() throws Exception {
    BenchSummaryCommand command = new BenchSummaryCommand();
    command.dir = dir;
    assertThat(command.call()).isZero();
    return new JsonObject(Files.readString(dir.resolve("summary.json")));
  }

  private void write(String name, JsonObject content) throws IOException {
    Files.writeString(dir.resolve(name), content.encode());
  }

  private static JsonObject read(long requests) {
    return new JsonObject().put("tool", "wrk").put("connections", 16).put("durationMs", 10_000)
        .put("requests", requests).put("errors", 0).put("requestsPerSecond", requests / 10.0)
        .put("latencyMs", new JsonObject().put("p50", 0.5).put("p90", 1.0).put("p99", 2.0).put("max", 9.0)
            .put("mean", 0.6));
  }
}
