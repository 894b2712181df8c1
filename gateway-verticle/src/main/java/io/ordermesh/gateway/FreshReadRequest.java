package io.ordermesh.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * Whether a client asked for the database's row rather than a view kept in memory: a request
 * {@code Cache-Control} with {@code no-cache} or {@code no-store}, or, from an HTTP/1.0 client that
 * sends no {@code Cache-Control}, {@code Pragma: no-cache} (RFC 7234, section 5.4; RFC 9111 keeps Pragma
 * only as deprecated, and caches still honour it this way).
 */
final class FreshReadRequest {

  private static final CharSequence PRAGMA = HttpHeaders.createOptimized("Pragma");

  private FreshReadRequest() {
  }

  static boolean asked(MultiMap headers) {
    String cacheControl = allOf(headers, HttpHeaders.CACHE_CONTROL);
    if (cacheControl != null) {
      return hasDirective(cacheControl, "no-cache") || hasDirective(cacheControl, "no-store");
    }
    String pragma = allOf(headers, PRAGMA);
    return pragma != null && hasDirective(pragma, "no-cache");
  }

  /**
   * A header sent on several lines is one list of directives; null when it was not sent. Looked up
   * once first: most reads send neither header, and every one passes here.
   */
  private static String allOf(MultiMap headers, CharSequence name) {
    String first = headers.get(name);
    if (first == null) {
      return null;
    }
    List<String> lines = headers.getAll(name);
    return lines.size() == 1 ? first : String.join(",", lines);
  }

  /** A directive by name among a header's comma-separated directives, with or without an argument. */
  private static boolean hasDirective(String header, String name) {
    for (String directive : header.split(",")) {
      String trimmed = directive.trim().toLowerCase(Locale.ROOT);
      int argument = trimmed.indexOf('=');
      if ((argument < 0 ? trimmed : trimmed.substring(0, argument).trim()).equals(name)) {
        return true;
      }
    }
    return false;
  }
}
