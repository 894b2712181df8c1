package io.ordermesh.launcher.cli;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Whether a PostgreSQL URL names this machine, judged from the URL alone (no name is looked up). */
final class LocalDatabase {

  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

  private LocalDatabase() {
  }

  /**
   * True when the server the URL reaches is this machine: {@code localhost}, 127.0.0.0/8, {@code [::1]},
   * or a Unix socket (no host, or a {@code host} parameter that is a directory). A {@code host} or
   * {@code hostaddr} query parameter, which the client prefers to the URL's host, is judged instead.
   * False for any other host, and for what is not a {@code postgres://} or {@code postgresql://} URL
   * (it fails later, with its own message).
   */
  static boolean isLoopback(String postgresUrl) {
    URI uri;
    try {
      uri = URI.create(postgresUrl);
    } catch (IllegalArgumentException notAUrl) {
      return false;
    }
    if (uri.isOpaque() || !("postgres".equals(uri.getScheme()) || "postgresql".equals(uri.getScheme()))) {
      return false;
    }
    Optional<String> fromQuery = parameter(uri, "hostaddr").or(() -> parameter(uri, "host"));
    if (fromQuery.isPresent()) {
      return fromQuery.get().startsWith("/") || isLoopbackName(fromQuery.get());
    }
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    if (authority.substring(authority.lastIndexOf('@') + 1).isEmpty()) {
      return true;
    }
    return uri.getHost() != null && isLoopbackName(uri.getHost());
  }

  private static boolean isLoopbackName(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.equals("localhost") || LOOPBACK_V4.matcher(name).matches() || name.equals("[::1]") || name.equals("::1");
  }

  private static Optional<String> parameter(URI uri, String name) {
    if (uri.getRawQuery() == null) {
      return Optional.empty();
    }
    for (String pair : uri.getRawQuery().split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).equals(name)) {
        return Optional.of(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
