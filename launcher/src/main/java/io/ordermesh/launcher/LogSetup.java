package io.ordermesh.launcher;

import ch.qos.logback.classic.LoggerContext;
import io.ordermesh.launcher.cli.ConfigFileDefaults;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Picks what Logback needs before it starts, the way the command line will decide it: the format
 * ({@code --log-format json|text}, else the {@code ORDERMESH_LOG_FORMAT} variable, else
 * {@code log-format} in the config file, else text) and the node a JSON line names ({@code --node-id},
 * its variable or key, else {@link NodeName#fallback()}). Logs go to stderr so that stdout stays for
 * what a command prints (a token, URLs).
 */
public final class LogSetup {

  static final String PROPERTY = "ordermesh.log.format";
  static final String NODE_PROPERTY = "ordermesh.log.node";
  private static final String FORMAT_OPTION = "log-format";
  private static final String NODE_OPTION = "node-id";

  private LogSetup() {
  }

  /**
   * Writes out what the async appenders still hold and stops logging: the last thing a command does
   * (for {@code run}, after its node has stopped).
   */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.stop();
    }
  }

  static void prepare(String[] args) {
    String format = option(args, FORMAT_OPTION).orElse("text");
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, format.toLowerCase(Locale.ROOT).equals("json") ? "json" : "text");
    }
    // Only JSON lines name the node; the fallback asks the resolver for the host's name, not free.
    if (System.getProperty(NODE_PROPERTY) == null && "json".equals(System.getProperty(PROPERTY))) {
      System.setProperty(NODE_PROPERTY, option(args, NODE_OPTION).orElseGet(NodeName::fallback));
    }
  }

  /** The command line's value of {@code --name}, else the environment's or the config file's. */
  private static Optional<String> option(String[] args, String name) {
    String flag = "--" + name;
    String value = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(flag) && i + 1 < args.length) {
        value = args[i + 1];
      } else if (args[i].startsWith(flag + "=")) {
        value = args[i].substring(flag.length() + 1);
      }
    }
    return value != null ? Optional.of(value) : ConfigFileDefaults.configured(name);
  }
}
