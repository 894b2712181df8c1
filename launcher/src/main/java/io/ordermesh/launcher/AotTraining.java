package io.ordermesh.launcher;

import java.lang.management.ManagementFactory;
import java.time.Duration;
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
  private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";
  /** {@code jcmd <pid> AOT.end_recording}, as the diagnostic-command MBean names it. */
  private static final String END_RECORDING = "aotEndRecording";
  /** The thread ending the recording, once started: a stop waits for it. */
  private static volatile Thread ending;

  private AotTraining() {
  }

  /** When this JVM records an AOT cache, ends the recording on a thread of its own; otherwise nothing. */
  public static void endRecordingNow() {
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
        .anyMatch(argument -> argument.startsWith("-XX:AOTCacheOutput=") || argument.equals("-XX:AOTMode=record"));
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
