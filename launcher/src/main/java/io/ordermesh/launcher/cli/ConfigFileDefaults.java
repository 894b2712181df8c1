package io.ordermesh.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when it is not on the command line: first the environment
 * ({@code --http-port} is {@code ORDERMESH_HTTP_PORT}), or a file the environment names
 * ({@code ORDERMESH_JWT_SECRET_FILE=/run/secrets/jwt}: the file's content, ends trimmed, as Docker and
 * Kubernetes hand out secrets), then the config file ({@code ORDERMESH_CONFIG}, else
 * {@code ./ordermesh.properties}, key {@code http-port}), then the default written on the option.
 */
public final class ConfigFileDefaults implements IDefaultValueProvider {

  static final String CONFIG_ENV = "ORDERMESH_CONFIG";
  static final String DEFAULT_FILE = "ordermesh.properties";
  private static final String ENV_PREFIX = "ORDERMESH_";
  private static final String FILE_SUFFIX = "_FILE";

  private final Map<String, String> env;
  private final Properties file;

  public ConfigFileDefaults() {
    this(System.getenv());
  }

  ConfigFileDefaults(Map<String, String> env) {
    this.env = env;
    this.file = load(env.containsKey(CONFIG_ENV) ? Path.of(env.get(CONFIG_ENV)) : Path.of(DEFAULT_FILE),
        env.containsKey(CONFIG_ENV));
  }

  /**
   * The environment's, else the file's, value of an option (named without dashes), for what must be
   * decided before a command line is parsed: the log format, before Logback starts.
   */
  public static Optional<String> configured(String option) {
    return configured(System.getenv(), option);
  }

  static Optional<String> configured(Map<String, String> env, String option) {
    try {
      return Optional.ofNullable(new ConfigFileDefaults(env).lookup(option, true));
    } catch (RuntimeException e) {
      // A config file that cannot be read is reported by the command's own parse, with its usage.
      return Optional.empty();
    }
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName().replaceFirst("^-+", "");
    String value = lookup(name, mayComeFromAFile(option, name));
    // Every command reads the same environment: ORDERMESH_KAFKA=kafka:9092 is run's --kafka HOST:PORT,
    // not a value for sniff's --kafka flag, which would refuse it and fail the command.
    return value != null && isFlag(option) && !isBoolean(value) ? null : value;
  }

  /**
   * The environment's value of the option (named without dashes), else the content of the file the
   * environment names for it, else the config file's value, else null.
   */
  private String lookup(String option, boolean fromFile) {
    String variable = ENV_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
    String fromEnv = env.get(variable);
    String secretFile = fromFile ? env.get(variable + FILE_SUFFIX) : null;
    if (fromEnv != null && secretFile != null) {
      // Which one wins would be a guess, and a wrong guess is a key nobody meant to use.
      throw new IllegalArgumentException(variable + " and " + variable + FILE_SUFFIX + " are both set; set one");
    }
    if (secretFile != null) {
      return readSecret(variable + FILE_SUFFIX, Path.of(secretFile));
    }
    return fromEnv != null ? fromEnv : file.getProperty(option);
  }

  private static String readSecret(String variable, Path path) {
    try {
      return Files.readString(path).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(variable + " names " + path + ", which cannot be read: " + e, e);
    }
  }

  /**
   * A flag's value is no secret, and {@code ORDERMESH_SEED_FILE} is {@code --seed-file}'s own variable,
   * not {@code --seed} read from a file.
   */
  private static boolean mayComeFromAFile(OptionSpec option, String name) {
    return !isFlag(option) && option.command().findOption(name + "-file") == null;
  }

  private static boolean isFlag(OptionSpec option) {
    return option.type() == boolean.class || option.type() == Boolean.class;
  }

  private static boolean isBoolean(String value) {
    return "true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value);
  }

  private static Properties load(Path path, boolean required) {
    Properties properties = new Properties();
    if (!Files.exists(path)) {
      if (required) {
        throw new IllegalArgumentException(CONFIG_ENV + " names " + path + ", which does not exist");
      }
      return properties;
    }
    try (InputStream in = Files.newInputStream(path)) {
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path, e);
    }
  }
}
