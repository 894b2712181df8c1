package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.TraceParent;
import io.ordermesh.events.order.OrderPlaced;
import io.ordermesh.platform.bus.Caller;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.db.Database;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.logging.ThrottledWarning;
import io.ordermesh.platform.resilience.Dependency;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code orders.place}: stores the order PENDING and its {@code OrderPlaced} event in one
 * transaction. The same idempotency key with the same lines answers the first answer again; with
 * other lines it is refused.
 */
public final class PlaceOrder {

  private static final Logger LOG = LoggerFactory.getLogger(PlaceOrder.class);
  private static final String PENDING = OrderStatus.PENDING.name();

  private final Vertx vertx;
  private final Database db;
  private final OrderRepository orders;
  private final Dependency users;
  /**
   * While the user service is out of reach every placement goes unchecked: a line each (a thousand in
   * ten seconds of an open breaker at start-up under load) would bury the line that says why.
   */
  private final ThrottledWarning uncheckedLog = new ThrottledWarning(LOG, Defaults.REPEATED_WARNING_INTERVAL);

  /** @param users the defended edge to the user service (timeout, breaker, bulkhead) */
  public PlaceOrder(Vertx vertx, Database db, OrderRepository orders, Dependency users) {
    this.vertx = vertx;
    this.db = db;
    this.orders = orders;
    this.users = users;
  }

  public Future<JsonObject> handle(Message<JsonObject> message) {
    Caller caller = Caller.of(message);
    PlaceOrderRequest request = PlaceOrderRequest.from(message.body());
    return rejectUnknownCustomer(caller)
        .compose(v -> storeOnce(caller, request))
        .compose(created -> created
            .map(orderId -> Future.succeededFuture(answer(orderId, false)))
            .orElseGet(() -> replay(caller, request)));
  }

  /**
   * Refuses customers the user service says do not exist. When the user service cannot answer, the
   * order is accepted and the saga's credit step decides (degraded, not failed).
   */
  private Future<Void> rejectUnknownCustomer(Caller caller) {
    // Existence is all this asks: the user service answers it from memory though the customer's last
    // order changed their credit since.
    JsonObject query = new JsonObject().put("customerId", caller.principal()).put("existenceOnly", true);
    return users.callIdempotent(timeLeft -> vertx.eventBus().request(UserAddresses.GET, query,
            caller.deliveryOptions(timeLeft.toMillis())))
        .<Void>mapEmpty()
        .recover(error -> {
          if (error instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && reply.failureCode() == Failure.NOT_FOUND.code()) {
            return Future.failedFuture(Failure.UNPROCESSABLE.exception("unknown customer " + caller.principal()));
          }
          uncheckedLog.warn(LogContext.of(OrderAddresses.SERVICE, caller.correlationId()),
              "{} could not validate customer {}, deferring to the saga: {}", OrderAddresses.PLACE,
              caller.principal(), String.valueOf(error));
          return Future.succeededFuture();
        });
  }

  /**
   * Answers the new order's id, or empty when the customer already used this key. The order, its
   * lines, its history and its event are one statement (one round trip, no transaction around it). A
   * concurrent request with the same key waits on the unique index and then finds the committed row.
   */
  private Future<Optional<UUID>> storeOnce(Caller caller, PlaceOrderRequest request) {
    UUID orderId = UUID.randomUUID();
    return orders.place(db.pool(), orderId, caller.principal(), request, caller.correlationId(),
            placed(orderId, caller, request))
        .map(stored -> stored ? Optional.of(orderId) : Optional.empty());
  }

  /** The key was used before: the same request gets the first answer again, another request a 422. */
  private Future<JsonObject> replay(Caller caller, PlaceOrderRequest request) {
    return orders.findByIdempotencyKey(db.pool(), caller.principal(), request.idempotencyKey())
        .map(found -> found.orElseThrow(() -> Failure.INTERNAL.exception("idempotency key row vanished")))
        .map(existing -> {
          if (!existing.requestFingerprint().equals(request.fingerprint())) {
            throw Failure.UNPROCESSABLE.exception(
                "Idempotency-Key " + request.idempotencyKey() + " was already used with a different request");
          }
          return answer(existing.orderId(), true);
        });
  }

  private static JsonObject answer(UUID orderId, boolean replayed) {
    return new JsonObject().put("orderId", orderId.toString()).put("status", PENDING).put("replayed", replayed);
  }

  private static EventEnvelope placed(UUID orderId, Caller caller, PlaceOrderRequest request) {
    return EventEnvelope.wrap(new OrderPlaced(orderId, caller.principal(), request.lines()),
        OrderAddresses.SERVICE, caller.correlationId(), null).withTraceparent(TraceParent.child(caller.traceparent()));
  }
}
