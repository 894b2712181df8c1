package io.ordermesh.launcher;

import io.ordermesh.launcher.cli.BenchCommand;
import io.ordermesh.launcher.cli.CheckCommand;
import io.ordermesh.launcher.cli.InfraCommand;
import io.ordermesh.launcher.cli.RunCommand;
import io.ordermesh.launcher.cli.SniffCommand;
import io.ordermesh.launcher.cli.TokenCommand;
import io.ordermesh.launcher.cli.ConfigFileDefaults;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ordermesh} command. */
@Command(
    name = "ordermesh",
    mixinStandardHelpOptions = true,
    version = "ordermesh 0.1.0",
    description = "Event-driven order platform on Vert.x: run it, run its infrastructure, mint tokens.")
public final class Main {

  /** Every command's name, in the order help lists them. */
  private static final List<String> COMMANDS = List.of("run", "infra", "token", "check", "bench", "sniff", "help");

  public static void main(String[] args) {
    LogSetup.prepare(args);
    // Logback sets itself up on a thread of its own while picocli builds the command tree here; both
    // are done before any command runs, so no client library logs before Logback is configured.
    CompletableFuture<?> logging = CompletableFuture.runAsync(org.slf4j.LoggerFactory::getILoggerFactory);
    CommandLine commandLine = commandLine(args);
    logging.join();
    int exitCode = commandLine.execute(args);
    if (exitCode != 0) {
      // A run that failed (or a command line that did not parse) must not become the jar's AOT cache.
      AotTraining.discardUnlessReady();
    }
    LogSetup.flush();
    System.exit(exitCode);
  }

  /** The whole command tree; tests run commands through it too. */
  public static CommandLine commandLine() {
    return withCommands(COMMANDS);
  }

  /**
   * The tree {@code args} need: only the command they name first, when they do (help for the top level
   * and errors list every command, so anything else gets the whole tree). Picocli reflects over every
   * option of every command it is given: for the whole tree, a tenth of a second of a cold JVM.
   */
  static CommandLine commandLine(String[] args) {
    boolean namesOne = args.length > 0 && COMMANDS.contains(args[0]) && !args[0].equals("help");
    return namesOne ? withCommands(List.of(args[0])) : commandLine();
  }

  private static CommandLine withCommands(Collection<String> names) {
    CommandLine commandLine = new CommandLine(new Main());
    names.forEach(name -> commandLine.addSubcommand(name, command(name)));
    // Set through the API, after the commands are added, so that every subcommand gets them.
    return commandLine.setCaseInsensitiveEnumValuesAllowed(true).setDefaultValueProvider(new ConfigFileDefaults())
        .setExecutionExceptionHandler(new CommandFailures());
  }

  // A switch rather than a map of constructor references: Java 25 failed to assemble the AOT cache
  // (a JVM guarantee in archiveHeapWriter) with those references held in a static field.
  private static Object command(String name) {
    return switch (name) {
      case "run" -> new RunCommand();
      case "infra" -> new InfraCommand();
      case "token" -> new TokenCommand();
      case "check" -> new CheckCommand();
      case "bench" -> new BenchCommand();
      case "sniff" -> new SniffCommand();
      case "help" -> new CommandLine.HelpCommand();
      default -> throw new IllegalArgumentException("no command " + name);
    };
  }
}
