package io.ordermesh.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.inbox.PlatformTestInfra;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay is woken once per committed transaction that appended, on real PostgreSQL; never before the
 * commit, never for a rollback. A marker published after the transaction from the same context arrives
 * after any wake-up it sent (the event bus keeps one sender's order), so the count is read when it lands.
 */
class OutboxWakeTest {

  private static final String MARKER = "marker";

  private final String schema = "outbox_wake_" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger wakes = new AtomicInteger();
  private Vertx vertx;
  private Context context;
  private Database db;
  private Promise<Integer> wakesAtMarker;

  @BeforeEach
  void migrateAndListen() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    db = Database.connect(vertx, PlatformTestInfra.postgres().uri(), schema, 2);
    join(db.migrate("db/inboxtest"));
    join(vertx.eventBus().consumer(Outbox.wakeAddress(schema), message -> {
      if (MARKER.equals(message.body())) {
        wakesAtMarker.complete(wakes.get());
      } else {
        wakes.incrementAndGet();
      }
    }).completion());
  }

  @AfterEach
  void close() throws Exception {
    join(db.close());
    join(vertx.close());
  }

  @Test
  void wakesTheRelayOnceWhenATransactionThatAppendedSeveralEventsCommits() throws Exception {
    int wakesBeforeCommit = onContext(() -> db.pool().withTransaction(tx -> Outbox.append(tx, cancelled())
        .compose(v -> Outbox.append(tx, cancelled()))
        .compose(v -> Outbox.append(tx, cancelled()))
        .map(v -> wakes.get())));

    assertThat(wakesBeforeCommit).isZero();
    assertThat(wakesWhenTheMarkerArrives()).isEqualTo(1);
  }

  @Test
  void doesNotWakeTheRelayForATransactionThatRolledBack() throws Exception {
    String outcome = onContext(() -> db.pool().withTransaction(tx -> Outbox.append(tx, cancelled())
            .compose(v -> Future.<Void>failedFuture("rolled back")))
        .map("committed")
        .otherwise(error -> error.getMessage()));

    assertThat(outcome).isEqualTo("rolled back");
    assertThat(wakesWhenTheMarkerArrives()).isZero();
  }

  private int wakesWhenTheMarkerArrives() throws Exception {
    wakesAtMarker = Promise.promise();
    context.runOnContext(v -> vertx.eventBus().publish(Outbox.wakeAddress(schema), MARKER));
    return join(wakesAtMarker.future());
  }

  private static EventEnvelope cancelled() {
    OrderCancelled event = new OrderCancelled(UUID.randomUUID(), "alice", CancellationReason.TIMEOUT);
    return EventEnvelope.wrap(event, "order", "corr", null);
  }

  /** The outbox wakes the relay through the Vert.x of the context it runs on, as in a verticle. */
  private <T> T onContext(Supplier<Future<T>> work) throws Exception {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return join(done.future());
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
