package io.ordermesh.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the recording of the AOT cache once the node is ready. The {@code ordermesh} script has the
 * first {@code run} of a jar on Java 25+ record one ({@code -XX:AOTCacheOutput}), which the JVM would
 * otherwise assemble at exit from everything the run did: after a first run that served a load test,
 * every later start replayed the load's method profiles and compiled its hot paths before it was
 * ready (app alone, same machine: 3.4-3.6 s against 2.6-2.8 s with a cache recorded up to ready).
 * Recorded up to ready, the cache holds what a start needs. The JVM assembles it in a child process
 * (about ten seconds of one core) while the node serves.
 */
public final class AotTraining {

  private static final Logger LOG = LoggerFactory.getLogger(AotTraining.class);
  private static final String CACHE_OUTPUT = "-XX:AOTCacheOutput=";
  private static final String ARCHIVE_OUTPUT = "-XX:ArchiveClassesAtExit=";
  /** Kept in step with the {@code ordermesh} script, which deletes a cache with this marker beside it. */
  static final String DISCARD_SUFFIX = ".discard";
  private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";
  /** {@code jcmd <pid> AOT.end_recording}, as the diagnostic-command MBean names it. */
  private static final String END_RECORDING = "aotEndRecording";
  /** The thread ending the recording, once started: a stop waits for it. */
  private static volatile Thread ending;
  /** Whether this run got ready: what it recorded (AOT cache or CDS archive) is then worth keeping. */
  private static volatile boolean ready;

  private AotTraining() {
  }

  /**
   * The node is ready: what this run records is worth keeping. When it records an AOT cache, ends the
   * recording on a thread of its own.
   */
  public static void endRecordingNow() {
    ready = true;
    if (!recording()) {
      return;
    }
    Thread thread = new Thread(AotTraining::endRecording, "ordermesh-aot-cache");
    thread.setDaemon(true);
    ending = thread;
    thread.start();
  }

  /**
   * Waits, at most {@code timeout}, for a cache being assembled: the {@code ordermesh} script takes the
   * cache for whole once this process is gone, so a node stopped right after it was ready stays until
   * the cache is written.
   */
  public static void awaitAssembled(Duration timeout) {
    Thread thread = ending;
    if (thread == null) {
      return;
    }
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean recording() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(argument -> argument.startsWith(CACHE_OUTPUT) || argument.equals("-XX:AOTMode=record"));
  }

  /**
   * When this JVM records a class cache (an AOT cache, or a CDS archive on older Java) and never got
   * ready (its start failed, or it was stopped while starting), marks it for the {@code ordermesh}
   * script to throw away: recorded from a start that went wrong, it would hold the wrong classes and
   * profiles, and every later start of the jar would load it. The next {@code run} records one afresh.
   */
  public static void discardUnlessReady() {
    if (!ready) {
      cacheOutput(ManagementFactory.getRuntimeMXBean().getInputArguments()).ifPresent(AotTraining::markDiscarded);
    }
  }

  /** The file {@code -XX:AOTCacheOutput} or {@code -XX:ArchiveClassesAtExit} names, if the JVM has one. */
  static Optional<Path> cacheOutput(List<String> jvmArguments) {
    return jvmArguments.stream()
        .flatMap(argument -> Stream.of(CACHE_OUTPUT, ARCHIVE_OUTPUT).filter(argument::startsWith)
            .map(option -> Path.of(argument.substring(option.length()))))
        .reduce((first, last) -> last);
  }

  /** The marker beside the cache's file that the script looks for. */
  static Path discardMarker(Path cache) {
    return cache.resolveSibling(cache.getFileName() + DISCARD_SUFFIX);
  }

  static void markDiscarded(Path cache) {
    try {
      Files.writeString(discardMarker(cache), "recorded from a start that never got ready\n");
      LOG.info("this run never got ready: its class cache will be discarded and recorded again by the next run");
    } catch (IOException e) {
      LOG.warn("could not mark the class cache {} for discarding: {}", cache, e.toString());
    }
  }

  private static void endRecording() {
    try {
      Object answer = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DIAGNOSTIC_COMMANDS),
          END_RECORDING, new Object[] {new String[0]}, new String[] {String[].class.getName()});
      LOG.info("AOT cache recorded up to ready: {}", String.valueOf(answer).strip());
    } catch (JMException | RuntimeException e) {
      // The cache is then assembled at exit as before, from the whole run.
      LOG.warn("could not end the AOT cache's recording at ready ({}); it is made at exit", e.toString());
    }
  }
}
