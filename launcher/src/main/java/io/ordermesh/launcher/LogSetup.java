package io.ordermesh.launcher;

import ch.qos.logback.classic.LoggerContext;
import io.ordermesh.launcher.cli.ConfigFileDefaults;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Picks the log format before Logback starts: {@code --log-format json|text}, else the
 * {@code ORDERMESH_LOG_FORMAT} variable, else {@code log-format} in the config file, else text. Logs go
 * to stderr so that stdout stays for what a command prints (a token, URLs).
 */
public final class LogSetup {

  static final String PROPERTY = "ordermesh.log.format";
  private static final String OPTION = "log-format";
  private static final String FLAG = "--" + OPTION;

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

  static void chooseFormat(String[] args) {
    String format = ConfigFileDefaults.configured(OPTION).orElse("text");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(FLAG) && i + 1 < args.length) {
        format = args[i + 1];
      } else if (args[i].startsWith(FLAG + "=")) {
        format = args[i].substring(FLAG.length() + 1);
      }
    }
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, format.toLowerCase(Locale.ROOT).equals("json") ? "json" : "text");
    }
  }
}
