package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.contracts.NotificationAddresses;
import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.events.Topics;
import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.inbox.DeadLetterReplay;
import io.ordermesh.platform.timeline.Timeline;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The services answer their operators' addresses (invariants, timelines, sagas, dead-letter replays)
 * to admins only, whatever reaches them: the gateway refuses customers first, and a request that got
 * past it by mistake finds nothing there either.
 */
class AdminAddressesIT {

  private static final long TIMEOUT_MS = 10_000;
  private static final JsonObject SOME_ORDERS = new JsonObject()
      .put("orderIds", new JsonArray().add(UUID.randomUUID().toString()));

  @RegisterExtension
  static final WholeNode system = new WholeNode();

  @Test
  void refusesEveryOperatorAddressToACustomerAsIfItDidNotExist() {
    Caller customer = new Caller(system.world().rich, Set.of(), "admin-addresses-it", null);

    for (Request request : operatorRequests()) {
      Throwable refusal = ask(request, customer).transform(ar -> Future.succeededFuture(ar.cause())).await();
      assertThat(refusal).as(request.address()).isInstanceOfSatisfying(ReplyException.class,
          e -> assertThat(e.failureCode()).isEqualTo(Failure.NOT_FOUND.code()));
    }
  }

  @Test
  void answersAnAdminOnTheReadingAddresses() {
    Caller admin = new Caller("ops", Set.of(Caller.ADMIN), "admin-addresses-it", null);

    for (Request request : operatorRequests()) {
      if (!request.address().startsWith(DeadLetterReplay.address(""))) {
        assertThat(ask(request, admin).await().body()).as(request.address()).isNotNull();
      }
    }
  }

  private static List<Request> operatorRequests() {
    List<Request> requests = new ArrayList<>(List.of(
        new Request(OrderAddresses.SAGAS, new JsonObject()),
        new Request(OrderAddresses.CONSISTENCY, new JsonObject()),
        new Request(InventoryAddresses.CONSISTENCY, SOME_ORDERS),
        new Request(UserAddresses.CONSISTENCY, SOME_ORDERS),
        new Request(NotificationAddresses.CONSISTENCY, SOME_ORDERS)));
    Stream.of("order", "inventory", "user", "notification").forEach(service -> requests.add(
        new Request(Timeline.address(service), new JsonObject().put("orderId", UUID.randomUUID().toString()))));
    Topics.DOMAIN.forEach(topic -> requests.add(new Request(DeadLetterReplay.address(topic), new JsonObject())));
    return requests;
  }

  private static Future<Message<JsonObject>> ask(Request request, Caller caller) {
    return system.node().vertx().eventBus().request(request.address(), request.body(), caller.deliveryOptions(TIMEOUT_MS));
  }

  private record Request(String address, JsonObject body) {
  }
}
