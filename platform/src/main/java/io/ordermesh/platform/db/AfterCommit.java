package io.ordermesh.platform.db;

import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Runs what reports a change (an outcome counted, the log line that says it happened, a notice to
 * other nodes) once the change is committed, not when its statement answered: a consumer's transaction
 * that fails as a whole is rolled back and its records applied again one by one, and a report made
 * inside it would be made twice for one outcome, or for an outcome that never was.
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

  /**
   * A report made once per transaction with everything its statements added: a consumer's batch
   * transaction applies many records, and one notice naming all they changed costs one message where
   * a notice per record costs one each.
   */
  public static <T> Gathered<T> gathered(Consumer<List<T>> report) {
    return new Gathered<>(report);
  }

  /**
   * Items gathered per open transaction, handed to the report together when it commits; dropped when
   * it rolls back. The report runs on the context of the transaction's connection. Safe to share
   * between verticles (each transaction's items are its own) when the report is too: the outbox's
   * wake-ups are; a service's own report runs on its own context, where its transactions run.
   *
   * <p>Add from a statement's callback chained into the transaction's work, before its commit is asked
   * for: once the commit is under way the connection no longer names its transaction, and the item
   * would be reported at once, as after an autocommit statement.
   */
  public static final class Gathered<T> {

    private final Consumer<List<T>> report;
    /**
     * Weak keys: a transaction ends by commit, rollback or its connection's failure, and its entry goes
     * then; one that never ended is not kept alive by this map. Transactions compare by identity.
     */
    private final Map<Transaction, List<T>> pending = new WeakHashMap<>();

    private Gathered(Consumer<List<T>> report) {
      this.report = report;
    }

    /** Adds {@code item} to {@code tx}'s report; outside a transaction, reports it alone at once. */
    public void add(SqlConnection tx, T item) {
      Transaction transaction = tx.transaction();
      if (transaction == null) {
        report.accept(List.of(item));
        return;
      }
      if (!isFirstOf(transaction, item)) {
        return;
      }
      transaction.completion().onComplete(ended -> {
        List<T> items = removePending(transaction);
        if (ended.succeeded()) {
          report.accept(items);
        }
      });
    }

    /** Adds {@code item} to the transaction's items; whether it is the first (its report is still to schedule). */
    private synchronized boolean isFirstOf(Transaction transaction, T item) {
      List<T> items = pending.get(transaction);
      if (items != null) {
        items.add(item);
        return false;
      }
      items = new ArrayList<>();
      items.add(item);
      pending.put(transaction, items);
      return true;
    }

    private synchronized List<T> removePending(Transaction transaction) {
      return pending.remove(transaction);
    }

    /** Transactions with a report still to come: zero once every one of them ended. */
    synchronized int pendingTransactions() {
      return pending.size();
    }
  }
}
