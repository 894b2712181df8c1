package io.ordermesh.launcher;

import io.ordermesh.launcher.cli.BenchCommand;
import io.ordermesh.launcher.cli.CheckCommand;
import io.ordermesh.launcher.cli.InfraCommand;
import io.ordermesh.launcher.cli.RunCommand;
import io.ordermesh.launcher.cli.SniffCommand;
import io.ordermesh.launcher.cli.TokenCommand;
import io.ordermesh.launcher.cli.ConfigFileDefaults;
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
    // Logback starts here, on one thread, before any client library logs from threads of its own.
    org.slf4j.LoggerFactory.getILoggerFactory();
    int exitCode = commandLine().execute(args);
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
