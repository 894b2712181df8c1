package io.ordermesh.launcher;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.status.NopStatusListener;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;
import org.slf4j.Marker;

/**
 * The launcher's logging, set up in code: Logback finds it through its {@link Configurator} service
 * (META-INF/services). Reading an XML file costs a cold JVM about a tenth of a second of parsing and
 * reflection on every command's start; this does the same in a few milliseconds.
 *
 * <p>Logs go to stderr, so that stdout stays for what a command prints (a token, URLs), in the format
 * {@link LogSetup} chose: text for a terminal, JSON (one object per line, MDC included) for machines.
 * Event loops hand log events to a queue and a logging thread writes them: a slow terminal or pipe
 * must not stall request handling. Nothing is discarded; only a full queue makes a caller wait. There
 * is no Logback shutdown hook: JVM hooks run all at once, and it would stop logging while a node still
 * drains; the launcher flushes the queue itself ({@link LogSetup#flush}).
 *
 * <p>A {@code logback.configurationFile} system property naming a file that exists, or a
 * {@code logback-test.xml} on the classpath, still wins: then Logback reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {

  private static final String TEXT_PATTERN =
      "%d{HH:mm:ss.SSS} %-5level %-24.24logger{0} %msg%replace( [%X{correlationId}]){' \\[\\]', ''}%n";
  private static final String CONFIGURATION_FILE = "logback.configurationFile";
  private static final int QUEUE_SIZE = 8192;
  /** Chatty libraries: their INFO is start-up noise here, their warnings matter. */
  private static final Map<String, Level> LEVELS = Map.of(
      "org.apache.kafka", Level.WARN,
      "kafka", Level.WARN,
      "org.apache.zookeeper", Level.WARN,
      "state.change.logger", Level.WARN,
      "com.hazelcast", Level.WARN,
      "org.flywaydb", Level.WARN,
      "io.netty", Level.WARN,
      // vertx-micrometer registers some event-bus gauges per Vert.x instance and Micrometer warns once about it.
      "io.micrometer.core.instrument", Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String file = System.getProperty(CONFIGURATION_FILE);
    if ((file != null && exists(file)) || LogConfiguration.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    boolean json = "json".equals(System.getProperty(LogSetup.PROPERTY));
    apply(context, json, json ? System.getProperty(LogSetup.NODE_PROPERTY, NodeName.fallback()) : null);
    if (file != null) {
      // Logback's own fallback for a missing file is DEBUG on stdout, where commands print tokens.
      context.getLogger(LogConfiguration.class).warn("{} {} not found; logging as usual", CONFIGURATION_FILE, file);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** As Logback resolves the property: a URL, a classpath resource or a file. */
  private static boolean exists(String file) {
    return file.contains(":/") || LogConfiguration.class.getClassLoader().getResource(file) != null
        || Files.isRegularFile(Path.of(file));
  }

  /** Console (stderr) in the given format behind an async queue, and the levels; JSON lines name {@code node}. */
  static void apply(LoggerContext context, boolean json, String node) {
    // Logback's status messages (its own set-up notes) stay quiet, as they did with the XML file;
    // without a listener it prints its warnings to stdout.
    context.getStatusManager().add(new NopStatusListener());
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(json ? "json" : "text");
    console.setTarget("System.err");
    console.setEncoder(json ? jsonEncoder(context, node) : textEncoder(context));
    console.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("async-" + console.getName());
    async.setQueueSize(QUEUE_SIZE);
    async.setDiscardingThreshold(0);
    async.addAppender(console);
    async.start();

    LEVELS.forEach((logger, level) -> context.getLogger(logger).setLevel(level));
    context.addTurboFilter(new NoOutOfOrderNotice());
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(TEXT_PATTERN);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context, String node) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setIncludeMdc(true);
    encoder.setCustomFields(new JsonObject().put("app", "ordermesh").put("node", node).encode());
    encoder.start();
    return encoder;
  }

  /**
   * Flyway warns at every migration that outOfOrder is on: that is how the platform's migrations and a
   * service's are meant to interleave (Database), not a finding. Its other warnings (a schema newer
   * than the build, a failed future migration) still show.
   */
  static final class NoOutOfOrderNotice extends TurboFilter {

    private static final String LOGGER = "org.flywaydb.core.internal.command.DbMigrate";
    private static final String NOTICE = "outOfOrder mode is active";

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
        Object[] params, Throwable t) {
      return format != null && format.startsWith(NOTICE) && LOGGER.equals(logger.getName())
          ? FilterReply.DENY
          : FilterReply.NEUTRAL;
    }
  }
}
