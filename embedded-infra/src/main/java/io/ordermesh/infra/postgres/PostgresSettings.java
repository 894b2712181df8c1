package io.ordermesh.infra.postgres;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how an embedded PostgreSQL runs.
 *
 * @param root directory for the extracted binaries, the data directory and the server log
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param database created on first start if missing
 * @param user the superuser created by initdb
 * @param password that user's password (TCP connections authenticate with scram-sha-256)
 */
public record PostgresSettings(Path root, int port, String database, String user, String password) {

  private static final int MAX_PORT = 65_535;

  public PostgresSettings {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (port < 0 || port > MAX_PORT) {
      throw new IllegalArgumentException("port must be in 0.." + MAX_PORT + ", but was " + port);
    }
  }

  /** Without the password: settings end up in logs and exception messages. */
  @Override
  public String toString() {
    return "PostgresSettings[root=" + root + ", port=" + port + ", database=" + database + ", user=" + user
        + ", password=***]";
  }
}
