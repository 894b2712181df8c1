package io.ordermesh.infra.kafka;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops Kafka's fatal-fault handlers from ending the JVM while an embedded broker lives in it.
 *
 * <p>A standalone broker halts its own process on a fatal fault ({@code Exit.halt}, i.e. {@code Runtime.halt}, which
 * skips shutdown hooks). Embedded, that process is the Ordermesh launcher or a test fork, and a halt would also orphan
 * the embedded PostgreSQL and lose the test report. The guard turns such a request into a logged
 * {@link KafkaFatalFaultException} in the calling Kafka thread instead. It is reference-counted because the
 * procedures are JVM-global and several brokers may share a JVM (tests).
 */
final class KafkaExitGuard {

  private static final Logger log = LoggerFactory.getLogger(KafkaExitGuard.class);

  private static int holders;

  private KafkaExitGuard() {
  }

  static synchronized void acquire() {
    if (holders++ == 0) {
      Exit.setExitProcedure(refuse("exit"));
      Exit.setHaltProcedure(refuse("halt"));
    }
  }

  static synchronized void release() {
    if (holders == 0) {
      return;
    }
    if (--holders == 0) {
      // Not Exit.reset*Procedure(): in Kafka 3.9 those install procedures that throw, not the JVM defaults.
      Exit.setExitProcedure((status, message) -> System.exit(status));
      Exit.setHaltProcedure((status, message) -> Runtime.getRuntime().halt(status));
    }
  }

  private static Exit.Procedure refuse(String kind) {
    return (status, message) -> {
      KafkaFatalFaultException fault = new KafkaFatalFaultException(kind, status, message);
      log.error("Embedded Kafka hit a fatal fault and asked the JVM to {}; refused, "
          + "the broker may be unusable now", kind, fault);
      throw fault;
    };
  }

  /** Thrown in the Kafka thread that asked the JVM to exit or halt. */
  static final class KafkaFatalFaultException extends IllegalStateException {

    KafkaFatalFaultException(String kind, int status, String message) {
      super("Kafka requested JVM " + kind + "(" + status + ")" + (message == null ? "" : ": " + message));
    }
  }
}
