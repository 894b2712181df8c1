package io.ordermesh.infra.postgres;

import java.nio.file.Path;

/**
 * Plays an `ordermesh run` that gets killed: starts PostgreSQL, announces it, and waits to be killed.
 * Run in a child JVM by {@link EmbeddedPostgresTest}.
 */
public final class LeftBehindServerMain {

  static final String READY = "READY";

  private LeftBehindServerMain() {
  }

  /** Arguments: root, user, password, database. */
  public static void main(String[] args) throws InterruptedException {
    EmbeddedPostgres postgres =
        EmbeddedPostgres.start(new PostgresSettings(Path.of(args[0]), 0, args[3], args[1], args[2]));
    System.out.println(READY + " " + postgres.port() + " " + postgres.serverPid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
