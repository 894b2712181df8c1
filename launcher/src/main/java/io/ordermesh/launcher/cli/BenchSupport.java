package io.ordermesh.launcher.cli;

import io.ordermesh.gateway.JwtTokens;
import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the bench commands share: tokens signed like the node's, waiting on a run, writing its report. */
final class BenchSupport {

  /** The tokens outlive any run. */
  private static final Duration TOKEN_TTL = Duration.ofHours(12);

  private BenchSupport() {
  }

  static AuthConfig auth(HomeOption home, String jwtSecret) {
    return new AuthConfig(home.jwtSecret(jwtSecret), TOKEN_TTL);
  }

  static String token(Vertx vertx, AuthConfig auth, String subject, List<String> roles) {
    return JwtTokens.issue(vertx, auth, subject, roles);
  }

  static <T> T await(Future<T> future, Duration timeout) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new TimeoutException("the benchmark did not finish within " + timeout);
    }
  }

  static void write(Path json, JsonObject report) throws IOException {
    if (json != null) {
      if (json.toAbsolutePath().getParent() != null) {
        Files.createDirectories(json.toAbsolutePath().getParent());
      }
      Files.writeString(json, report.encodePrettily() + "\n");
    }
  }
}
