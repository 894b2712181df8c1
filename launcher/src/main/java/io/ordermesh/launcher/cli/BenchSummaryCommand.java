package io.ordermesh.launcher.cli;

import io.ordermesh.loadtest.BenchSummary;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ordermesh bench summary}: one run's parts into one table and one JSON document. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = {"Reads the parts a run of load-tests/bench/run-all.sh wrote into DIR (saga.json, pgbench.json,",
        "read-*.json, breaker.json, coldstart.json, machine.json; missing ones are reported as not measured),",
        "prints the table of results, ratios to the baselines and targets, and writes them combined."})
public final class BenchSummaryCommand implements Callable<Integer> {

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the run's parts are.")
  Path dir;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the combined document here. Default: DIR/summary.json")
  Path json;

  @Override
  public Integer call() throws Exception {
    Map<String, JsonObject> parts = new LinkedHashMap<>();
    for (String part : BenchSummary.PARTS) {
      Path file = dir.resolve(part + ".json");
      if (Files.exists(file)) {
        try {
          parts.put(part, new JsonObject(Files.readString(file)));
        } catch (DecodeException e) {
          System.err.println("bench summary: " + file + " is not a JSON object, left out: " + e.getMessage());
        }
      }
    }
    JsonObject combined = BenchSummary.combine(parts);
    System.out.println(BenchSummary.table(combined));
    BenchSupport.write(json != null ? json : dir.resolve("summary.json"), combined);
    return 0;
  }
}
