package io.ordermesh.launcher.cli;

import io.ordermesh.launcher.Home;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --home}: where embedded data and generated keys live. */
public final class HomeOption {

  @Option(names = "--home", paramLabel = "DIR", defaultValue = ".ordermesh",
      description = "Data and keys of this installation (env ORDERMESH_HOME). Default: ${DEFAULT-VALUE}")
  Path home;

  /** What {@code --log-format} takes. LogSetup reads the option before the command line is parsed; this refuses a typo. */
  enum LogFormat { JSON, TEXT }

  @Option(names = "--log-format", paramLabel = "json|text", defaultValue = "text",
      description = "Log format on stderr (env ORDERMESH_LOG_FORMAT). Default: ${DEFAULT-VALUE}")
  LogFormat logFormat;

  public Home home() {
    return new Home(home);
  }

  /** The signing key: the one given on the command line, else the home's. */
  public String jwtSecret(String given) {
    return given != null ? given : home().jwtSecret();
  }
}
