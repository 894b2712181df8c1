package io.ordermesh.order.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.ordermesh.events.CancellationReason;
import io.ordermesh.order.internal.OrderRepository.OrderState;
import io.ordermesh.platform.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;

/**
 * Saga outcomes by status and reason ({@code ordermesh_saga_outcomes_total}) and how long sagas take
 * from placement to a terminal state ({@code ordermesh_saga_duration_seconds}, a histogram).
 */
public final class SagaMetrics {

  private static final String NONE = "none";

  private SagaMetrics() {
  }

  static void ended(OrderState order, OrderStatus outcome, CancellationReason reason) {
    String why = reason == null ? NONE : reason.name();
    Counter.builder("ordermesh.saga.outcomes").tag("status", outcome.name()).tag("reason", why)
        .description("Orders that reached a terminal state").register(Metrics.registry()).increment();
    if (order.status() == OrderStatus.PENDING) {
      Timer.builder("ordermesh.saga.duration").tag("status", outcome.name())
          .description("From placement to CONFIRMED or CANCELLED").publishPercentileHistogram()
          .register(Metrics.registry()).record(Duration.between(order.createdAt(), Instant.now()));
    }
  }
}
