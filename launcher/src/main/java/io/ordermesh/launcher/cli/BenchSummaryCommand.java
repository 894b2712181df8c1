package io.ordermesh.launcher.cli;

import io.ordermesh.loadtest.BenchSummary;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ordermesh bench summary}: one run's parts into one table and one JSON document. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = {"Reads the parts a run of load-tests/bench/run-all.sh wrote into DIR (saga.json, pgbench.json,",
        "read-*.json, breaker.json, coldstart.json, machine.json; missing ones are reported as not measured; a read",
        "measured in rounds, read-*.round-1.json and on, counts as one),",
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
      JsonObject measured = Files.exists(file) ? read(file) : mergedRounds(part);
      if (measured != null) {
        parts.put(part, measured);
      }
    }
    JsonObject combined = BenchSummary.combine(parts);
    System.out.println(BenchSummary.table(combined));
    BenchSupport.write(json != null ? json : dir.resolve("summary.json"), combined);
    return 0;
  }

  /**
   * A part measured in rounds ({@code PART.round-1.json}, ...) as one, in round order, or null when
   * there are none; a round missing or unreadable is said, and left out.
   */
  private JsonObject mergedRounds(String part) throws IOException {
    Pattern roundFile = Pattern.compile(Pattern.quote(part) + "\\.round-(\\d+)\\.json");
    SortedMap<Integer, Path> files = new TreeMap<>();
    try (Stream<Path> listing = Files.list(dir)) {
      listing.forEach(file -> {
        Matcher round = roundFile.matcher(file.getFileName().toString());
        if (round.matches()) {
          files.put(Integer.parseInt(round.group(1)), file);
        }
      });
    }
    if (!files.isEmpty() && files.lastKey() != files.size()) {
      System.err.println("bench summary: " + part + " has rounds " + files.keySet() + ", not 1 to " + files.lastKey());
    }
    List<JsonObject> rounds = new ArrayList<>();
    for (Path file : files.values()) {
      JsonObject measured = read(file);
      if (measured != null) {
        rounds.add(measured);
      }
    }
    return rounds.isEmpty() ? null : BenchSummary.mergeRounds(rounds);
  }

  private static JsonObject read(Path file) throws IOException {
    try {
      return new JsonObject(Files.readString(file));
    } catch (DecodeException e) {
      System.err.println("bench summary: " + file + " is not a JSON object, left out: " + e.getMessage());
      return null;
    }
  }
}
