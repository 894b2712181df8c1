package io.ordermesh.launcher.cli;

import io.ordermesh.gateway.JwtTokens;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ordermesh token}: prints one signed JWT and nothing else, for {@code TOKEN=$(ordermesh token ...)}. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Print a JWT signed with the home's key.")
public final class TokenCommand implements Callable<Integer> {

  @Mixin
  HomeOption homeOption;

  @Option(names = "--sub", required = true, paramLabel = "CUSTOMER", description = "The customer id (JWT subject).")
  String subject;

  @Option(names = "--role", paramLabel = "ROLE", description = "A role to grant, e.g. admin. Repeatable.")
  List<String> roles = List.of();

  @Option(names = "--ttl", defaultValue = "12h", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Token lifetime. Default: ${DEFAULT-VALUE}")
  Duration ttl;

  @Option(names = "--jwt-secret", paramLabel = "SECRET", description = "Sign with this key instead of the home's.")
  String jwtSecret;

  @Override
  public Integer call() {
    AuthConfig auth = new AuthConfig(homeOption.jwtSecret(jwtSecret), ttl.isZero() ? Defaults.TOKEN_TTL : ttl);
    System.out.println(JwtTokens.issueOffline(auth, subject, roles));
    return 0;
  }
}
