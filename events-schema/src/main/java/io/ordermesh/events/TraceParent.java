package io.ordermesh.events;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context {@code traceparent} values ({@code 00-<trace-id>-<parent-id>-<flags>}): one trace
 * id for a request's whole journey, a new parent id at each hop that produces something.
 */
public final class TraceParent {

  private static final Pattern VALID = Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String SAMPLED = "01";

  private TraceParent() {
  }

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  /** A new trace, for a request that came without one. */
  public static String newRoot() {
    return "00-" + hex(16) + "-" + hex(8) + "-" + SAMPLED;
  }

  /** The same trace, one hop further; null stays null. */
  public static String child(String parent) {
    if (!isValid(parent)) {
      return parent == null ? null : newRoot();
    }
    return parent.substring(0, 36) + hex(8) + parent.substring(52);
  }

  public static String traceId(String traceparent) {
    return isValid(traceparent) ? traceparent.substring(3, 35) : null;
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    // Trace and span ids must be unique, not secret (W3C: random, not necessarily cryptographic); a
    // SecureRandom would make every event loop and consumer take turns on its one lock.
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
