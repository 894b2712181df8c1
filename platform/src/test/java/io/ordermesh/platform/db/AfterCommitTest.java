package io.ordermesh.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.platform.inbox.PlatformTestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reports made after a real PostgreSQL transaction commits: once, with all it gathered, never on rollback. */
class AfterCommitTest {

  private final List<List<String>> reports = new CopyOnWriteArrayList<>();
  private final AfterCommit.Gathered<String> gathered = AfterCommit.gathered(reports::add);
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    pool = Database.connect(vertx, PlatformTestInfra.postgres().uri(), "public", 2).pool();
  }

  @AfterEach
  void close() throws Exception {
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void reportsEverythingATransactionGatheredOnceWhenItCommits() throws Exception {
    List<List<String>> beforeCommit = await(pool.withTransaction(tx -> select(tx)
        .onSuccess(v -> gathered.add(tx, "a"))
        .compose(v -> select(tx))
        .onSuccess(v -> gathered.add(tx, "b"))
        .map(v -> List.copyOf(reports))));

    assertThat(beforeCommit).isEmpty();
    assertThat(reports).containsExactly(List.of("a", "b"));
    assertThat(gathered.pendingTransactions()).isZero();
  }

  @Test
  void reportsNothingWhenTheTransactionRollsBack() throws Exception {
    Future<Void> failed = pool.withTransaction(tx -> select(tx)
        .onSuccess(v -> gathered.add(tx, "a"))
        .compose(v -> tx.query("SELECT 1/0").execute())
        .mapEmpty());

    assertThat(awaitFailure(failed)).hasMessageContaining("division by zero");
    assertThat(reports).isEmpty();
    assertThat(gathered.pendingTransactions()).isZero();
  }

  @Test
  void keepsTwoTransactionsReportsApart() throws Exception {
    await(Future.all(
        pool.withTransaction(tx -> select(tx).onSuccess(v -> gathered.add(tx, "first"))),
        pool.withTransaction(tx -> select(tx).onSuccess(v -> gathered.add(tx, "second")))));

    assertThat(reports).containsExactlyInAnyOrder(List.of("first"), List.of("second"));
  }

  @Test
  void reportsAtOnceOutsideATransactionWhoseStatementCommittedAlready() throws Exception {
    List<List<String>> reported = await(pool.withConnection(connection -> select(connection)
        .onSuccess(v -> gathered.add(connection, "autocommit"))
        .map(v -> List.copyOf(reports))));

    assertThat(reported).containsExactly(List.of("autocommit"));
  }

  private static Future<Void> select(SqlConnection connection) {
    return connection.query("SELECT 1").execute().mapEmpty();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
