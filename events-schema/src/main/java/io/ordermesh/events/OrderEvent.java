package io.ordermesh.events;

import java.util.UUID;

/** A saga event: it is about one order, whose id is the aggregate id and the Kafka record key. */
public interface OrderEvent extends DomainEvent {

  UUID orderId();

  @Override
  default String aggregateId() {
    return orderId().toString();
  }
}
