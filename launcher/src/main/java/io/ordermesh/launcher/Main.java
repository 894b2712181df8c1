package io.ordermesh.launcher;

import io.ordermesh.launcher.cli.BenchCommand;
import io.ordermesh.launcher.cli.CheckCommand;
import io.ordermesh.launcher.cli.InfraCommand;
import io.ordermesh.launcher.cli.RunCommand;
import io.ordermesh.launcher.cli.SniffCommand;
import io.ordermesh.launcher.cli.TokenCommand;
import io.ordermesh.launcher.cli.ConfigFileDefaults;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ordermesh} command. */
@Command(
    name = "ordermesh",
    mixinStandardHelpOptions = true,
    version = "ordermesh 0.1.0",
    description = "Event-driven order platform on Vert.x: run it, run its infrastructure, mint tokens.",
    subcommands = {RunCommand.class, InfraCommand.class, TokenCommand.class, CheckCommand.class, BenchCommand.class, SniffCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    LogSetup.chooseFormat(args);
    // Logback reads its configuration on a thread of its own while picocli builds the command tree here
    // (each takes about a tenth of a second of a cold JVM); both are done before any command runs, so
    // no client library logs before Logback is configured.
    CompletableFuture<?> logging = CompletableFuture.runAsync(org.slf4j.LoggerFactory::getILoggerFactory);
    CommandLine commandLine = commandLine();
    logging.join();
    int exitCode = commandLine.execute(args);
    LogSetup.flush();
    System.exit(exitCode);
  }

  /** The parsed command tree; tests run commands through it too. */
  public static CommandLine commandLine() {
    // Set through the API so that every subcommand gets it, not just the top-level command.
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
        .setDefaultValueProvider(new ConfigFileDefaults());
  }
}
