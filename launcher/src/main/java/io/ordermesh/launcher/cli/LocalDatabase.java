package io.ordermesh.launcher.cli;

import java.net.URI;
import java.util.Locale;

/** Whether a PostgreSQL URL names this machine, judged from the URL alone (no name is looked up). */
final class LocalDatabase {

  private LocalDatabase() {
  }

  /**
   * True for {@code localhost}, 127.0.0.0/8, {@code [::1]}, and a URL without a host (a Unix socket);
   * false for any other host, and for what is not a URL at all (it fails later, with its own message).
   */
  static boolean isLoopback(String postgresUrl) {
    URI uri;
    try {
      uri = URI.create(postgresUrl);
    } catch (IllegalArgumentException notAUrl) {
      return false;
    }
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    if (authority.substring(authority.lastIndexOf('@') + 1).isEmpty()) {
      return true;
    }
    String host = uri.getHost();
    if (host == null) {
      return false;
    }
    String name = host.toLowerCase(Locale.ROOT);
    return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
  }
}
