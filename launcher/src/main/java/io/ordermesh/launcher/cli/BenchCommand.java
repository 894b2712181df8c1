package io.ordermesh.launcher.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ordermesh bench ...}: the benchmark driver (load-tests module). Each scenario runs against a
 * running system and prints a table; {@code --json FILE} also writes the report.
 * {@code load-tests/bench/run-all.sh} runs them all, with their baselines, and {@code bench summary}
 * puts one run together.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks against a running system: saga, read, breaker; plus the plain backend baseline and the run summary.",
    subcommands = {BenchSagaCommand.class, BenchReadCommand.class, BenchBreakerCommand.class,
        BenchBackendCommand.class, BenchSummaryCommand.class})
public final class BenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return 2;
  }
}
