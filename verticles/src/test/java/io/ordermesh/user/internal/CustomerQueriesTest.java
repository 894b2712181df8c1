package io.ordermesh.user.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.bus.Replies;
import io.ordermesh.testing.MigratedSchema;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code users.get} over the event bus: the profile as an object, or as its JSON text for a caller that
 * asks for text (the gateway), and only to the customer themself.
 */
class CustomerQueriesTest {

  private static final Duration TTL = Duration.ofSeconds(5);
  private static final long TIMEOUT_MS = 10_000;

  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("users", "db/user");
  private final String address = "test.users.get." + UUID.randomUUID();
  private Vertx vertx;

  @BeforeEach
  void serveAlice() {
    vertx = schema.vertx();
    CustomerRepository customers = new CustomerRepository();
    join(customers.seed(schema.db().pool(), new JsonObject().put("customers", new JsonArray().add(new JsonObject()
        .put("id", "alice").put("name", "Alice").put("email", "alice@example.com").put("creditLimit", "100.00")))));
    Promise<Void> serving = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      CustomerViews views = new CustomerViews(vertx, id -> customers.find(schema.db().pool(), id), 10, TTL);
      CustomerQueries queries = new CustomerQueries(views);
      views.start()
          .compose(started -> vertx.eventBus().<JsonObject>consumer(address, m -> Replies.answer(m, queries::get))
              .completion())
          .onComplete(serving);
    });
    join(serving.future());
  }

  @Test
  void answersWithTheProfilesJsonTextWhenAskedForTextAndWithTheObjectOtherwise() {
    Object object = ask("alice", new JsonObject().put("customerId", "alice"));
    Object text = ask("alice", new JsonObject().put("customerId", "alice").put("asJsonText", true));
    Object textAgain = ask("alice", new JsonObject().put("customerId", "alice").put("asJsonText", true));

    assertThat(object).isInstanceOf(JsonObject.class);
    assertThat(((JsonObject) object).getString("creditAvailable")).isEqualTo("100.00");
    assertThat(text).as("loaded").isInstanceOf(Buffer.class).hasToString(((JsonObject) object).encode());
    assertThat(textAgain).as("from the view").isInstanceOf(Buffer.class).hasToString(((JsonObject) object).encode());
  }

  @Test
  void answersNotFoundToAnotherCustomerWhicheverFormTheyAskFor() {
    for (JsonObject request : new JsonObject[] {new JsonObject().put("customerId", "alice"),
        new JsonObject().put("customerId", "alice").put("asJsonText", true)}) {
      Throwable refused = asked("mallory", request).transform(ar -> Future.succeededFuture(ar.cause())).await();
      assertThat(refused).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) refused).failureCode()).isEqualTo(Failure.NOT_FOUND.code());
    }
  }

  private Object ask(String subject, JsonObject request) {
    return join(asked(subject, request));
  }

  private Future<Object> asked(String subject, JsonObject request) {
    return vertx.eventBus().request(address, request,
        new Caller(subject, Set.of(), "corr-" + subject, null).deliveryOptions(TIMEOUT_MS)).map(reply -> reply.body());
  }
}
