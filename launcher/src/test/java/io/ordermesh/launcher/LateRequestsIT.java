package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.platform.bus.BusHeaders;
import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request that reaches a service long after its caller stopped waiting (it sat in a frozen node) is
 * left undone: the gateway answered its client 504 long ago, so a placement made then would be an order
 * the client never heard of. The client's retry with its Idempotency-Key makes it.
 */
class LateRequestsIT {

  private static final long TIMEOUT_MS = 10_000;

  @RegisterExtension
  static final WholeNode system = new WholeNode();

  @Test
  void aPlacementThatArrivesLongAfterItsCallerGaveUpIsNotMade() {
    Caller customer = new Caller(system.world().rich, Set.of(), "late-requests-it", null);
    JsonObject placement = new JsonObject().put("idempotencyKey", "late-" + UUID.randomUUID())
        .put("lines", new JsonArray().add(new JsonObject().put("sku", system.world().cheapSku).put("quantity", 1)));
    DeliveryOptions givenUpOn = customer.deliveryOptions(TIMEOUT_MS);
    givenUpOn.getHeaders().set(BusHeaders.DEADLINE, Long.toString(System.currentTimeMillis() - 30_000));

    Throwable refused = system.node().vertx().eventBus().request(OrderAddresses.PLACE, placement, givenUpOn)
        .transform(ar -> Future.succeededFuture(ar.cause())).await();
    JsonObject retried = system.node().vertx().eventBus()
        .<JsonObject>request(OrderAddresses.PLACE, placement, customer.deliveryOptions(TIMEOUT_MS)).await().body();

    assertThat(refused).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).isEqualTo(Failure.UNAVAILABLE.code());
      assertThat(e.getMessage()).contains("after its caller stopped waiting");
    });
    assertThat(retried.getBoolean("replayed")).as("the late request made no order; the retry makes it").isFalse();
  }
}
