package io.ordermesh.launcher.cli;

import io.ordermesh.platform.config.Defaults;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What every bench command against a running gateway takes: where it is, its key, where the report goes. */
final class BenchTargetOptions {

  @Option(names = "--url", defaultValue = "http://localhost:" + Defaults.HTTP_PORT, paramLabel = "URL",
      description = "The gateway. Default: ${DEFAULT-VALUE}")
  String url;

  @Option(names = "--jwt-secret", paramLabel = "SECRET", description = "Sign tokens with this key instead of the home's.")
  String jwtSecret;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON here.")
  Path json;
}
