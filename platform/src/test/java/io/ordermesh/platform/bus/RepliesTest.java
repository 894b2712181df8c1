package io.ordermesh.platform.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which failure code a caller gets for which failure of the operation: the code decides retries. */
class RepliesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void answersATypedFailureWithItsOwnCode() throws Exception {
    assertThat(codeFor(Failure.NOT_FOUND.exception("no product SKU-9"))).isEqualTo(404);
  }

  @Test
  void answersTextTheDatabaseCannotStoreAsABadRequestSoThatNobodyRetriesIt() throws Exception {
    PgException nul = new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null);
    PgException untranslatable = new PgException("unsupported Unicode escape sequence", "ERROR", "22P05", null);

    assertThat(codeFor(nul)).isEqualTo(Failure.BAD_REQUEST.code());
    assertThat(codeFor(untranslatable)).isEqualTo(Failure.BAD_REQUEST.code());
  }

  @Test
  void answersADatabaseThatCannotDoTheWorkNowAsUnavailable() throws Exception {
    PgException deadlock = new PgException("deadlock detected", "ERROR", "40P01", null);
    PgException shuttingDown = new PgException("terminating connection due to administrator command", "FATAL",
        "57P01", null);

    assertThat(codeFor(deadlock)).isEqualTo(Failure.UNAVAILABLE.code());
    assertThat(codeFor(shuttingDown)).isEqualTo(Failure.UNAVAILABLE.code());
    assertThat(codeFor(new java.net.ConnectException("Connection refused"))).as("PostgreSQL down")
        .isEqualTo(Failure.UNAVAILABLE.code());
  }

  @Test
  void answersAnyOtherFailureAsInternal() throws Exception {
    PgException overflow = new PgException("integer out of range", "ERROR", "22003", null);

    assertThat(codeFor(overflow)).as("a counter overflowing is the service's fault").isEqualTo(Failure.INTERNAL.code());
    assertThat(codeFor(new IllegalStateException("a bug"))).isEqualTo(Failure.INTERNAL.code());
  }

  @Test
  void answersAResultTheBusCannotCarryAsInternalRatherThanLeavingTheCallerToTimeOut() throws Exception {
    record Unsendable(String id) {
    }

    assertThat(codeFor(Future.succeededFuture(new Unsendable("a-1")))).isEqualTo(Failure.INTERNAL.code());
  }

  @Test
  void repliesWithTheResultAsItIsWhateverTheBusCarries() throws Exception {
    Buffer jsonText = new JsonObject().put("id", "alice").toBuffer();

    assertThat(answerTo(Future.succeededFuture(jsonText))).isEqualTo(jsonText);
    assertThat(answerTo(Future.succeededFuture(new JsonObject().put("id", "bob")))).isEqualTo(new JsonObject().put("id", "bob"));
  }

  private int codeFor(Throwable failure) throws Exception {
    return codeFor(Future.failedFuture(failure));
  }

  private int codeFor(Future<?> outcome) throws Exception {
    try {
      answerTo(outcome);
    } catch (ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
    throw new AssertionError("answered without a failure");
  }

  private Object answerTo(Future<?> outcome) throws Exception {
    String address = "test." + System.nanoTime();
    vertx.eventBus().<JsonObject>consumer(address, request -> Replies.answer(request, r -> outcome))
        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return vertx.eventBus().request(address, new JsonObject()).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).body();
  }
}
