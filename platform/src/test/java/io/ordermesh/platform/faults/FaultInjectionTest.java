package io.ordermesh.platform.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.platform.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault injection on one node's event bus: when a change takes effect, and that ended stays ended. */
class FaultInjectionTest {

  private static final String INVENTORY_ADDRESS = "inventory.products.get";
  private static final Duration LONG = Duration.ofMinutes(1);

  private Vertx vertx;

  @BeforeEach
  void startVertx() throws Exception {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(INVENTORY_ADDRESS, m -> m.reply("stock"));
  }

  @AfterEach
  void stopVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  void aFaultIsInEffectOnThisNodeWhenAddingItAnswers() throws Exception {
    await(FaultInjection.install(vertx));
    FaultInjection client = FaultInjection.client(vertx);

    await(client.add("inventory", Fault.Mode.FAIL, Duration.ZERO, LONG));

    assertThat(failureCodeOfRequest()).isEqualTo(Failure.UNAVAILABLE.code());
  }

  @Test
  void anEndedFaultIsOverWhenEndingItAnswers() throws Exception {
    await(FaultInjection.install(vertx));
    FaultInjection client = FaultInjection.client(vertx);
    Fault fault = await(client.add("inventory", Fault.Mode.FAIL, Duration.ZERO, LONG));

    assertThat(await(client.remove(fault.id()))).isTrue();

    assertThat(await(request())).isEqualTo("stock");
    assertThat(await(client.list())).isEmpty();
    assertThat(await(client.remove(fault.id()))).as("a second end finds nothing").isFalse();
  }

  @Test
  void anEndedFaultStaysEndedWhenTheNoticeOfItsStartArrivesLate() throws Exception {
    FaultInjection faults = await(FaultInjection.install(vertx));
    Fault fault = new Fault("late", "inventory", Fault.Mode.FAIL, 0, System.currentTimeMillis() + LONG.toMillis());

    // Notices from two nodes may arrive in either order, and more than once.
    faults.apply(new JsonObject().put("ended", fault.toJson()));
    faults.apply(new JsonObject().put("added", fault.toJson()));
    faults.apply(new JsonObject().put("added", fault.toJson()));

    assertThat(await(request())).isEqualTo("stock");
  }

  @Test
  void aNoticeWithoutTheChangeFromAnEarlierVersionsNodeReadsTheMapAgain() throws Exception {
    FaultInjection faults = await(FaultInjection.install(vertx));
    Fault fault = new Fault("old-node", "inventory", Fault.Mode.FAIL, 0, System.currentTimeMillis() + LONG.toMillis());
    var map = await(vertx.sharedData().<String, JsonObject>getAsyncMap("ordermesh.faults"));

    await(map.put(fault.id(), fault.toJson()));
    faults.apply(new JsonObject());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(failureCodeOfRequest()).isEqualTo(Failure.UNAVAILABLE.code()));

    await(map.remove(fault.id()));
    faults.apply(new JsonObject());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .untilAsserted(() -> assertThat(await(request())).isEqualTo("stock"));
  }

  @Test
  void aNodeThatStartsLaterPicksUpTheFaultsAlreadyInEffect() throws Exception {
    // Added before this node's interceptor existed: nothing here to apply it to, only the map.
    await(FaultInjection.client(vertx).add("inventory", Fault.Mode.FAIL, Duration.ZERO, LONG));
    assertThat(await(request())).isEqualTo("stock");

    await(FaultInjection.install(vertx));

    assertThat(failureCodeOfRequest()).isEqualTo(Failure.UNAVAILABLE.code());
  }

  @Test
  void anExpiredFaultNoLongerApplies() throws Exception {
    await(FaultInjection.install(vertx));
    // Long enough that the request right after the add meets it on a busy machine, short enough to wait out.
    await(FaultInjection.client(vertx).add("inventory", Fault.Mode.FAIL, Duration.ZERO, Duration.ofSeconds(5)));
    assertThat(failureCodeOfRequest()).isEqualTo(Failure.UNAVAILABLE.code());

    // No notice marks the end of a fault that runs out: its time does.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .untilAsserted(() -> assertThat(await(request())).isEqualTo("stock"));
  }

  @Test
  void faultsOnlyTheServiceTheyName() throws Exception {
    await(FaultInjection.install(vertx));
    vertx.eventBus().<JsonObject>consumer("users.get", m -> m.reply("alice"));
    await(FaultInjection.client(vertx).add("inventory", Fault.Mode.FAIL, Duration.ZERO, LONG));

    Future<String> profile = vertx.eventBus().<String>request("users.get", new JsonObject()).map(m -> m.body());

    assertThat(await(profile)).isEqualTo("alice");
  }

  private Future<String> request() {
    return vertx.eventBus().<String>request(INVENTORY_ADDRESS, new JsonObject()).map(m -> m.body());
  }

  private int failureCodeOfRequest() throws Exception {
    try {
      await(request());
    } catch (java.util.concurrent.ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
    throw new AssertionError("the request was answered: no fault in effect");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
