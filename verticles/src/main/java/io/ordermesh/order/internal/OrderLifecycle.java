package io.ordermesh.order.internal;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.events.EventEnvelope;
import io.ordermesh.events.TraceParent;
import io.ordermesh.events.order.OrderCancelled;
import io.ordermesh.order.internal.OrderRepository.OrderState;
import io.ordermesh.platform.db.AfterCommit;
import io.ordermesh.platform.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an order becomes CANCELLED, whoever decides it (a rejection, the deadline, the
 * customer): status, history and the {@code OrderCancelled} event in the caller's transaction. Its
 * outcomes, cancelled or confirmed, are reported here once they commit: counted, logged, and told to
 * live views.
 */
public final class OrderLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(OrderLifecycle.class);

  private final OrderRepository orders;
  private final StatusFeed feed;

  public OrderLifecycle(OrderRepository orders, StatusFeed feed) {
    this.orders = orders;
    this.feed = feed;
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
    return orders.cancel(tx, order.orderId(), reason, event)
        .onSuccess(cancelledNow -> {
          if (cancelledNow) {
            reportOnCommit(tx, order, OrderStatus.CANCELLED, reason, correlationId, null);
          }
        })
        .mapEmpty();
  }

  /** Reports a confirmation made in {@code tx} once it commits. */
  void confirmed(SqlConnection tx, OrderState order, EventEnvelope cause) {
    reportOnCommit(tx, order, OrderStatus.CONFIRMED, null, cause.correlationId(), cause.eventId());
  }

  /** An outcome, once its transaction commits: counted, logged, told to live views. */
  private void reportOnCommit(SqlConnection tx, OrderState order, OrderStatus status, CancellationReason reason,
      String correlationId, UUID eventId) {
    AfterCommit.run(tx, () -> {
      SagaMetrics.ended(order, status, reason);
      LogContext.of(OrderAddresses.SERVICE, correlationId).order(order.orderId()).event(eventId)
          .info(LOG, "order {} {}", order.orderId(), reason == null ? status : status + " (" + reason + ")");
      feed.changed(order.orderId(), status, reason, correlationId);
    });
  }
}
