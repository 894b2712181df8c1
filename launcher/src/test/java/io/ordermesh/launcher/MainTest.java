package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import io.ordermesh.launcher.cli.ConfigFileDefaults;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A command line that names its command gets just that command's tree, and the same command. */
class MainTest {

  @Test
  void aNamedCommandGetsOnlyItsOwnTreeAndTheSameUsage() {
    CommandLine lean = Main.commandLine(new String[] {"run", "--http-port", "0"});

    assertThat(lean.getSubcommands()).containsOnlyKeys("run");
    assertThat(usage(lean.getSubcommands().get("run")))
        .isEqualTo(usage(Main.commandLine().getSubcommands().get("run")));
  }

  @Test
  void theTopLevelHelpAndUnknownCommandsGetEveryCommand() {
    for (String[] args : new String[][] {{}, {"--help"}, {"help", "run"}, {"rnu"}}) {
      assertThat(Main.commandLine(args).getSubcommands())
          .containsOnlyKeys("run", "infra", "token", "check", "bench", "sniff", "help");
    }
  }

  @Test
  void subcommandsAddedLazilyStillTakeCaseInsensitiveEnumsAndConfigFileDefaults() {
    CommandLine run = Main.commandLine(new String[] {"run"}).getSubcommands().get("run");
    CommandLine benchSaga = Main.commandLine(new String[] {"bench", "saga"}).getSubcommands().get("bench")
        .getSubcommands().get("saga");

    for (CommandLine command : List.of(run, benchSaga)) {
      assertThat(command.isCaseInsensitiveEnumValuesAllowed()).isTrue();
      assertThat(command.getDefaultValueProvider()).isInstanceOf(ConfigFileDefaults.class);
    }
  }

  @Test
  void aMistakeInTheOptionsIsOneLineAndTheUsageExitCode() {
    CommandLine run = Main.commandLine(new String[] {"run"});
    StringWriter err = new StringWriter();
    run.setErr(new PrintWriter(err, true));

    int exitCode = run.execute("run", "--services", "user,bogus");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).startsWith("ordermesh run: unknown service 'bogus'")
        .contains("See 'ordermesh run --help'.").doesNotContain("\tat ");
  }

  @Test
  void anUnknownLogFormatIsRefusedNotTakenForText() {
    CommandLine token = Main.commandLine(new String[] {"token"});
    StringWriter err = new StringWriter();
    token.setErr(new PrintWriter(err, true));

    int exitCode = token.execute("token", "--sub", "alice", "--log-format", "yaml");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("--log-format").contains("yaml").doesNotContain("\tat ");
  }

  private static String usage(CommandLine commandLine) {
    StringWriter out = new StringWriter();
    commandLine.usage(new PrintWriter(out), CommandLine.Help.Ansi.OFF);
    return out.toString();
  }
}
