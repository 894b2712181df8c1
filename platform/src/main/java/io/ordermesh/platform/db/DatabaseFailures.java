package io.ordermesh.platform.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.List;

/**
 * Tells a database that could not do the work now (out of reach, restarting, out of connections, a
 * deadlock) from a database that refused it (a constraint, a bad value, a bug in the statement). The
 * first passes: what failed on it is tried again later, never given up for good. The second repeats.
 */
public final class DatabaseFailures {

  /**
   * SQLSTATE classes and codes of a database that could not do the work now: connection exceptions,
   * insufficient resources, an operator's shutdown or restart, I/O errors, serialization failures and
   * deadlocks.
   */
  private static final List<String> PASSING_STATES = List.of("08", "53", "57P", "58", "40001", "40P01");

  private DatabaseFailures() {
  }

  /** Whether {@code failure} (or what caused it) says the database could not do the work now. */
  public static boolean isPassing(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        String state = pg.getSqlState();
        return state != null && PASSING_STATES.stream().anyMatch(state::startsWith);
      }
      // I/O on the way to the database: a connection refused, reset or closed, its channel gone.
      if (t instanceof ClosedConnectionException || t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** Whether the database itself refused the work, for a reason that will hold the next time too. */
  public static boolean isRefusal(Throwable failure) {
    return failure instanceof PgException && !isPassing(failure);
  }
}
