package io.ordermesh.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordermesh.launcher.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where option values come from: command line, then environment, then config file, then the default. */
class ConfigFileDefaultsTest {

  @TempDir
  Path dir;

  @Test
  void takesTheEnvironmentBeforeTheFileAndTheFileBeforeTheDefault() throws Exception {
    Path file = Files.writeString(dir.resolve("om.properties"), "http-port=7777\nservices=order\n");
    RunCommand run = parse(Map.of("ORDERMESH_CONFIG", file.toString(), "ORDERMESH_HTTP_PORT", "9999"));

    assertThat(run.httpPort).isEqualTo(9999);
    assertThat(run.services).isEqualTo("order");
    assertThat(run.sagaDeadline).hasSeconds(30);
  }

  @Test
  void takesTheCommandLineBeforeEverything() {
    CommandLine commandLine = Main.commandLine().setDefaultValueProvider(
        new ConfigFileDefaults(Map.of("ORDERMESH_HTTP_PORT", "9999")));
    var parsed = commandLine.parseArgs("run", "--http-port", "1234");

    assertThat(((RunCommand) parsed.subcommand().commandSpec().userObject()).httpPort).isEqualTo(1234);
  }

  @Test
  void leavesAFlagAloneWhenTheEnvironmentHoldsAnotherCommandsValueOfTheSameName() {
    CommandLine commandLine = Main.commandLine().setDefaultValueProvider(
        new ConfigFileDefaults(Map.of("ORDERMESH_KAFKA", "kafka:9092", "ORDERMESH_JSON", "true")));
    var parsed = commandLine.parseArgs("sniff");

    SniffCommand sniff = (SniffCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(sniff.kafka).as("run's --kafka HOST:PORT is not sniff's --kafka flag").isFalse();
    assertThat(sniff.json).as("a flag still takes true or false from the environment").isTrue();
  }

  @Test
  void answersWhatMustBeKnownBeforeParsingFromTheEnvironmentThenTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("om.properties"), "log-format=json\n");

    assertThat(ConfigFileDefaults.configured(Map.of("ORDERMESH_CONFIG", file.toString()), "log-format")).contains("json");
    assertThat(ConfigFileDefaults.configured(Map.of("ORDERMESH_CONFIG", file.toString(), "ORDERMESH_LOG_FORMAT", "text"),
        "log-format")).contains("text");
    assertThat(ConfigFileDefaults.configured(Map.of("ORDERMESH_CONFIG", dir.resolve("nope").toString()), "log-format"))
        .as("a missing file is the command's to report").isEmpty();
  }

  @Test
  void refusesAConfigFileThatDoesNotExist() {
    assertThatThrownBy(() -> new ConfigFileDefaults(Map.of("ORDERMESH_CONFIG", dir.resolve("nope").toString())))
        .hasMessageContaining("does not exist");
  }

  @Test
  void readsAnOptionFromTheFileItsFileVariableNamesTrimmed() throws Exception {
    Path secret = Files.writeString(dir.resolve("jwt"), "a-key-of-thirty-two-bytes-or-more-0123\n");

    RunCommand run = parse(Map.of("ORDERMESH_JWT_SECRET_FILE", secret.toString()));

    assertThat(run.jwtSecret).isEqualTo("a-key-of-thirty-two-bytes-or-more-0123");
  }

  @Test
  void takesTheFileVariableBeforeTheConfigFile() throws Exception {
    Path secret = Files.writeString(dir.resolve("jwt"), "from-the-secret-file");
    Path config = Files.writeString(dir.resolve("om.properties"), "jwt-secret=from-the-config-file\n");

    RunCommand run = parse(Map.of("ORDERMESH_CONFIG", config.toString(), "ORDERMESH_JWT_SECRET_FILE", secret.toString()));

    assertThat(run.jwtSecret).isEqualTo("from-the-secret-file");
  }

  @Test
  void refusesAnOptionSetBothDirectlyAndThroughAFile() throws Exception {
    Path secret = Files.writeString(dir.resolve("jwt"), "one");

    assertThatThrownBy(() -> parse(Map.of("ORDERMESH_JWT_SECRET", "two", "ORDERMESH_JWT_SECRET_FILE", secret.toString())))
        .hasStackTraceContaining("ORDERMESH_JWT_SECRET and ORDERMESH_JWT_SECRET_FILE are both set");
  }

  @Test
  void leavesAnOptionsOwnFileVariableToThatOption() throws Exception {
    Path seed = Files.writeString(dir.resolve("seed.json"), "{}");

    RunCommand run = parse(Map.of("ORDERMESH_SEED", "true", "ORDERMESH_SEED_FILE", seed.toString()));

    assertThat(run.seed).as("--seed is a flag of its own").isTrue();
    assertThat(run.seedFile).as("ORDERMESH_SEED_FILE is --seed-file").isEqualTo(seed);
  }

  @Test
  void namesTheVariableWhenItsFileCannotBeRead() {
    assertThatThrownBy(() -> parse(Map.of("ORDERMESH_JWT_SECRET_FILE", dir.resolve("missing").toString())))
        .hasStackTraceContaining("ORDERMESH_JWT_SECRET_FILE names " + dir.resolve("missing"));
  }

  private static RunCommand parse(Map<String, String> env) {
    CommandLine commandLine = Main.commandLine().setDefaultValueProvider(new ConfigFileDefaults(env));
    var parsed = commandLine.parseArgs("run");
    return (RunCommand) parsed.subcommand().commandSpec().userObject();
  }
}
