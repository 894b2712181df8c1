package io.ordermesh.user.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.EventType;
import io.ordermesh.events.PricedLine;
import io.ordermesh.events.inventory.StockReserved;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.db.Database;
import io.ordermesh.testing.MigratedSchema;
import io.ordermesh.user.internal.CustomerViews.Read;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code users.get} answers from memory until the customer's credit changes: a committed change drops
 * the view on this node and, through a publish, on the others; nothing a load read before a change is
 * kept; a rollback changes nothing; views age out.
 */
class CustomerViewsTest {

  private static final Duration TTL = Duration.ofSeconds(5);
  private static final String SET_NAME = "UPDATE customers SET name = $2 WHERE id = $1";

  @RegisterExtension
  final MigratedSchema schema = new MigratedSchema("users", "db/user");
  private final CustomerRepository customers = new CustomerRepository();
  private final AtomicInteger databaseReads = new AtomicInteger();
  private final AtomicLong now = new AtomicLong();
  private Vertx vertx;
  private Database db;
  private Context context;

  @BeforeEach
  void seedAlice() {
    vertx = schema.vertx();
    db = schema.db();
    context = vertx.getOrCreateContext();
    join(customers.seed(db.pool(), new JsonObject().put("customers", new JsonArray().add(new JsonObject()
        .put("id", "alice").put("name", "Alice").put("email", "alice@example.com").put("creditLimit", "100.00")))));
  }

  @Test
  void answersFromMemoryUntilACommittedReservationChangesTheCustomer() {
    CustomerViews views = started();
    assertThat(name(views, "alice")).isEqualTo("Alice");
    renameBehindTheViewsBack("alice", "Alice (renamed)");

    assertThat(name(views, "alice")).as("from memory").isEqualTo("Alice");
    assertThat(databaseReads).hasValue(1);

    reserveCredit(views, "alice", new BigDecimal("20.00"));

    JsonObject after = view(views, "alice", Read.CURRENT).orElseThrow();
    assertThat(after.getString("creditAvailable")).isEqualTo("80.00");
    assertThat(after.getString("name")).as("read again").isEqualTo("Alice (renamed)");
    assertThat(databaseReads).hasValue(2);
  }

  @Test
  void aCancellationThatGivesCreditBackDropsTheView() {
    CustomerViews views = started();
    UUID orderId = reserveCredit(views, "alice", new BigDecimal("30.00"));
    assertThat(view(views, "alice", Read.CURRENT).orElseThrow().getString("creditAvailable")).isEqualTo("70.00");

    EventEnvelope cancelled = EventEnvelope.wrap(new OrderCancelled(orderId, "alice", CancellationReason.TIMEOUT),
        "order", "corr", null);
    onContext(() -> db.pool().withTransaction(tx -> new CreditEventHandlers(customers, views).handlers()
        .get(EventType.ORDER_CANCELLED).handle(tx, cancelled)));

    assertThat(view(views, "alice", Read.CURRENT).orElseThrow().getString("creditAvailable")).isEqualTo("100.00");
  }

  @Test
  void aChangeCommittedOnAnotherNodeDropsThisNodesView() {
    CustomerViews here = started();
    CustomerViews there = started();
    view(here, "alice", Read.CURRENT);
    renameBehindTheViewsBack("alice", "Alice (renamed)");

    reserveCredit(there, "alice", new BigDecimal("5.00"));

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(view(here, "alice", Read.CURRENT).orElseThrow().getString("creditAvailable")).isEqualTo("95.00"));
  }

  @Test
  void keepsNothingALoadReadWhileItsCustomerChanged() {
    Promise<Optional<JsonObject>> slowRead = Promise.promise();
    AtomicInteger loads = new AtomicInteger();
    CustomerViews views = startedWithLoads(loads, slowRead.future(), named("new"));
    Future<Optional<JsonObject>> racing = onContext(() -> Future.succeededFuture(views.get("alice", Read.CURRENT)));

    commitAChangeOf(views, "alice");
    answerOnContext(slowRead, named("old"));

    assertThat(join(racing).orElseThrow().getString("name")).as("the racing read itself").isEqualTo("old");
    assertThat(onContext(() -> views.get("alice", Read.CURRENT)).orElseThrow().getString("name")).isEqualTo("new");
    assertThat(loads).hasValue(2);
  }

  @Test
  void readsThatMissTogetherShareOneQueryAndEachGetTheirOwnCopy() {
    Promise<Optional<JsonObject>> slowRead = Promise.promise();
    AtomicInteger loads = new AtomicInteger();
    CustomerViews views = startedWithLoads(loads, slowRead.future(), named("a second load"));
    List<Future<Optional<JsonObject>>> reads = onContext(() -> Future.succeededFuture(List.of(
        views.get("alice", Read.CURRENT), views.get("alice", Read.CURRENT), views.get("alice", Read.EXISTENCE))));

    answerOnContext(slowRead, named("Alice"));

    JsonObject first = join(reads.get(0)).orElseThrow();
    first.put("name", "changed by its caller");
    assertThat(join(reads.get(1)).orElseThrow().getString("name")).isEqualTo("Alice");
    assertThat(join(reads.get(2)).orElseThrow().getString("name")).isEqualTo("Alice");
    assertThat(name(views, "alice")).as("the view kept").isEqualTo("Alice");
    assertThat(loads).hasValue(1);
  }

  @Test
  void answersAsJsonTextWhatItAnswersAsAnObjectFromMemoryFromTheDatabaseAndForExistence() {
    CustomerViews views = started();
    JsonObject alice = view(views, "alice", Read.FRESH).orElseThrow();

    assertThat(text(views, "alice", Read.CURRENT)).as("loaded").isEqualTo(alice.encode());
    assertThat(text(views, "alice", Read.CURRENT)).as("from memory").isEqualTo(alice.encode());
    assertThat(databaseReads).hasValue(2);
    reserveCredit(views, "alice", new BigDecimal("10.00"));
    assertThat(text(views, "alice", Read.EXISTENCE)).as("a dropped view, for existence").isEqualTo(alice.encode());
    assertThat(databaseReads).hasValue(2);

    JsonObject afterReservation = view(views, "alice", Read.FRESH).orElseThrow();
    assertThat(afterReservation.getString("creditAvailable")).isEqualTo("90.00");
    assertThat(text(views, "alice", Read.FRESH)).isEqualTo(afterReservation.encode());
    assertThat(text(views, "alice", Read.CURRENT)).isEqualTo(afterReservation.encode());
    assertThat(onContext(() -> views.getAsJsonText("nobody", Read.CURRENT))).isEmpty();
  }

  @Test
  void eachReadOfTheTextGetsBytesOfItsOwn() {
    CustomerViews views = started();
    String alice = text(views, "alice", Read.CURRENT);

    Buffer first = onContext(() -> views.getAsJsonText("alice", Read.CURRENT)).orElseThrow();
    first.setByte(0, (byte) '[').appendString("changed by its caller");

    assertThat(text(views, "alice", Read.CURRENT)).isEqualTo(alice);
    assertThat(databaseReads).hasValue(1);
  }

  @Test
  void aReadDoesNotJoinALoadThatHasHungForASecond() {
    AtomicInteger loads = new AtomicInteger();
    CustomerViews views = startedWithLoads(loads, Promise.<Optional<JsonObject>>promise().future(), named("Alice"));
    Future<Optional<JsonObject>> hung = onContext(() -> Future.succeededFuture(views.get("alice", Read.CURRENT)));

    now.addAndGet(Defaults.CUSTOMER_LOAD_SHARED_FOR.toNanos());

    assertThat(name(views, "alice")).isEqualTo("Alice");
    assertThat(hung.isComplete()).isFalse();
    assertThat(loads).hasValue(2);
  }

  @Test
  void aReadAfterAChangeDoesNotShareALoadFromBeforeIt() {
    Promise<Optional<JsonObject>> slowRead = Promise.promise();
    AtomicInteger loads = new AtomicInteger();
    CustomerViews views = startedWithLoads(loads, slowRead.future(), named("new"));
    Future<Optional<JsonObject>> before = onContext(() -> Future.succeededFuture(views.get("alice", Read.CURRENT)));
    commitAChangeOf(views, "alice");

    Future<Optional<JsonObject>> after = onContext(() -> Future.succeededFuture(views.get("alice", Read.CURRENT)));
    answerOnContext(slowRead, named("old"));

    assertThat(join(before).orElseThrow().getString("name")).isEqualTo("old");
    assertThat(join(after).orElseThrow().getString("name")).isEqualTo("new");
    assertThat(loads).hasValue(2);
  }

  @Test
  void aRolledBackChangeKeepsTheView() {
    CustomerViews views = started();
    view(views, "alice", Read.CURRENT);

    onContext(() -> db.pool().withTransaction(tx -> {
      views.changedWhenCommitted(tx, "alice");
      return Future.failedFuture("rolled back");
    }).otherwiseEmpty());

    view(views, "alice", Read.CURRENT);
    assertThat(databaseReads).hasValue(1);
  }

  @Test
  void readsTheDatabaseWhenAskedForAFreshReadOrWhenTheViewAgedOut() {
    CustomerViews views = started();
    view(views, "alice", Read.CURRENT);
    renameBehindTheViewsBack("alice", "Alice (renamed)");

    assertThat(view(views, "alice", Read.FRESH).orElseThrow().getString("name")).isEqualTo("Alice (renamed)");
    assertThat(name(views, "alice")).as("a fresh read leaves the view alone").isEqualTo("Alice");

    now.addAndGet(TTL.toNanos());
    assertThat(name(views, "alice")).isEqualTo("Alice (renamed)");
    assertThat(databaseReads).hasValue(3);
  }

  @Test
  void answersWhetherACustomerExistsFromMemoryAfterTheirCreditChanged() {
    CustomerViews views = started();
    view(views, "alice", Read.CURRENT);
    reserveCredit(views, "alice", new BigDecimal("10.00"));

    assertThat(view(views, "alice", Read.EXISTENCE)).as("known to exist").isPresent();
    assertThat(databaseReads).hasValue(1);
    assertThat(view(views, "alice", Read.CURRENT).orElseThrow().getString("creditAvailable")).isEqualTo("90.00");
    assertThat(databaseReads).hasValue(2);
  }

  @Test
  void asksTheDatabaseAgainWhetherACustomerNotFoundBeforeExistsNow() {
    CustomerViews views = started();
    assertThat(view(views, "bob", Read.EXISTENCE)).isEmpty();
    join(customers.seed(db.pool(), new JsonObject().put("customers", new JsonArray().add(new JsonObject()
        .put("id", "bob").put("name", "Bob").put("email", "bob@example.com").put("creditLimit", "10.00")))));

    now.addAndGet(TTL.toNanos());

    assertThat(view(views, "bob", Read.EXISTENCE)).isPresent();
    assertThat(databaseReads).hasValue(2);
  }

  @Test
  void aCustomerAnotherNodeSeedsIsFoundAtOnceWhereTheyWereNotFoundBefore() {
    CustomerViews here = started();
    CustomerViews there = started();
    assertThat(view(here, "carol", Read.CURRENT)).isEmpty();
    JsonObject seed = new JsonObject().put("customers", new JsonArray()
        .add(new JsonObject().put("id", "alice").put("name", "Alice").put("email", "alice@example.com")
            .put("creditLimit", "100.00"))
        .add(new JsonObject().put("id", "carol").put("name", "Carol").put("email", "carol@example.com")
            .put("creditLimit", "10.00")));

    List<String> seeded = join(customers.seed(db.pool(), seed));
    onContext(() -> {
      there.created(seeded);
      return Future.succeededFuture();
    });

    assertThat(seeded).as("alice existed already").containsExactly("carol");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(view(here, "carol", Read.CURRENT)).isPresent());
  }

  @Test
  void remembersThatACustomerDoesNotExist() {
    CustomerViews views = started();

    assertThat(view(views, "nobody", Read.CURRENT)).isEmpty();
    assertThat(view(views, "nobody", Read.CURRENT)).isEmpty();
    assertThat(databaseReads).hasValue(1);
  }

  private CustomerViews started() {
    return onContext(() -> {
      CustomerViews views = new CustomerViews(vertx, id -> {
        databaseReads.incrementAndGet();
        return customers.find(db.pool(), id);
      }, 10, TTL, now::get);
      return views.start().map(views);
    });
  }

  /** Views whose first load answers {@code first} (a promise the test completes), later ones {@code later}. */
  private CustomerViews startedWithLoads(AtomicInteger loads, Future<Optional<JsonObject>> first,
      Optional<JsonObject> later) {
    return onContext(() -> {
      CustomerViews views = new CustomerViews(vertx,
          id -> loads.incrementAndGet() == 1 ? first : Future.succeededFuture(later), 10, TTL, now::get);
      return views.start().map(views);
    });
  }

  /** Completes a load the views wait for on their context, as a query's answer arrives. */
  private void answerOnContext(Promise<Optional<JsonObject>> load, Optional<JsonObject> answer) {
    onContext(() -> {
      load.complete(answer);
      return Future.succeededFuture();
    });
  }

  private static Optional<JsonObject> named(String name) {
    return Optional.of(new JsonObject().put("name", name));
  }

  /** A transaction that changed the customer, as the consumer's would, committed. */
  private void commitAChangeOf(CustomerViews views, String customerId) {
    onContext(() -> db.pool().withTransaction(tx -> {
      views.changedWhenCommitted(tx, customerId);
      return Future.succeededFuture();
    }));
  }

  /** What the user service's consumer does with a StockReserved, in a transaction of its own. */
  private UUID reserveCredit(CustomerViews views, String customerId, BigDecimal total) {
    CreditEventHandlers handlers = new CreditEventHandlers(customers, views);
    UUID orderId = UUID.randomUUID();
    List<PricedLine> lines = List.of(new PricedLine("SKU-1", 1, total));
    EventEnvelope stock = EventEnvelope.wrap(new StockReserved(orderId, customerId, lines, total), "inventory", "corr",
        null);
    onContext(() -> db.pool().withTransaction(tx -> handlers.handlers().get(EventType.STOCK_RESERVED)
        .handle(tx, stock)));
    return orderId;
  }

  private void renameBehindTheViewsBack(String customerId, String name) {
    join(db.pool().preparedQuery(SET_NAME).execute(Tuple.of(customerId, name)));
  }

  private String name(CustomerViews views, String customerId) {
    return view(views, customerId, Read.CURRENT).orElseThrow().getString("name");
  }

  private Optional<JsonObject> view(CustomerViews views, String customerId, Read read) {
    return onContext(() -> views.get(customerId, read));
  }

  private String text(CustomerViews views, String customerId, Read read) {
    return onContext(() -> views.getAsJsonText(customerId, read)).orElseThrow().toString();
  }

  /** The views belong to one context, as in the service. */
  private <T> T onContext(Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return join(done.future());
  }
}
