package io.ordermesh.platform.db;

import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;

/**
 * Runs what reports a change (an outcome counted, the log line that says it happened) once the change
 * is committed, not when its statement answered: a consumer's transaction that fails as a whole is
 * rolled back and its records applied again one by one, and a report made inside it would be made twice
 * for one outcome, or for an outcome that never was.
 */
public final class AfterCommit {

  private AfterCommit() {
  }

  /** Runs {@code report} when {@code tx}'s transaction commits, never if it rolls back; at once outside a transaction. */
  public static void run(SqlConnection tx, Runnable report) {
    Transaction transaction = tx.transaction();
    if (transaction == null) {
      // Autocommit: the statement that made the change has committed it already.
      report.run();
      return;
    }
    transaction.completion().onSuccess(v -> report.run());
  }
}
