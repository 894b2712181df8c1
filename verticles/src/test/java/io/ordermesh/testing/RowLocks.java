package io.ordermesh.testing;

import io.vertx.core.Future;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What row locks other transactions hold, seen from a connection of the test's own. */
public final class RowLocks {

  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final String WAITING_FOR_A_LOCK = "SELECT count(*) AS n FROM pg_stat_activity"
      + " WHERE datname = current_database() AND wait_event_type = 'Lock'";

  private RowLocks() {
  }

  /**
   * The keys whose row another transaction holds: {@code lockNowait} ({@code ... WHERE key = $1 FOR
   * UPDATE NOWAIT}) is tried for each key on a connection of {@code pool}, and fails at once for those.
   */
  public static Future<Set<String>> heldAmong(Pool pool, String lockNowait, List<String> keys) {
    Set<String> held = new TreeSet<>();
    Future<Void> probes = Future.succeededFuture();
    for (String key : keys) {
      probes = probes.compose(v -> pool.preparedQuery(lockNowait).execute(Tuple.of(key))
          .<Void>mapEmpty()
          .recover(error -> {
            if (error instanceof DatabaseException database && LOCK_NOT_AVAILABLE.equals(database.getSqlState())) {
              held.add(key);
              return Future.succeededFuture();
            }
            return Future.failedFuture(error);
          }));
    }
    return probes.map(held);
  }

  /** How many backends of the test's database wait for a lock right now. */
  public static long waiting(Pool pool) {
    return TestPostgres.join(pool.query(WAITING_FOR_A_LOCK).execute()).iterator().next().getLong("n");
  }
}
