package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.TraceParent;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.order.internal.OrderRepository.OrderState;
import io.ordermesh.platform.db.AfterCommit;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an order becomes CANCELLED, whoever decides it (a rejection, the deadline, the
 * customer): status, history and the {@code OrderCancelled} event in the caller's transaction.
 */
public final class OrderLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(OrderLifecycle.class);

  private final OrderRepository orders;

  public OrderLifecycle(OrderRepository orders) {
    this.orders = orders;
  }

  /**
   * Cancels a locked order.
   *
   * @param causationId the event that led here, or null when a request or the deadline did
   * @param traceparent the trace of what led here, or null (the deadline)
   */
  public Future<Void> cancel(SqlConnection tx, OrderState order, CancellationReason reason, String correlationId,
      UUID causationId, String traceparent) {
    OrderCancelled cancelled = new OrderCancelled(order.orderId(), order.customerId(), reason);
    EventEnvelope event = EventEnvelope.wrap(cancelled, OrderAddresses.SERVICE, correlationId, causationId)
        .withTraceparent(TraceParent.child(traceparent));
    return Future.join(orders.setStatus(tx, order.orderId(), OrderStatus.CANCELLED, reason), Outbox.append(tx, event))
        .onSuccess(v -> AfterCommit.run(tx, () -> {
          SagaMetrics.ended(order, OrderStatus.CANCELLED, reason);
          LogContext.of(OrderAddresses.SERVICE, correlationId).order(order.orderId())
              .info(LOG, "order {} CANCELLED ({})", order.orderId(), reason);
        }))
        .mapEmpty();
  }
}
