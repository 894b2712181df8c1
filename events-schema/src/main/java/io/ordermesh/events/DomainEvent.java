package io.ordermesh.events;

import io.vertx.core.json.JsonObject;

/** The {@code data} part of an event: what happened to one aggregate. */
public interface DomainEvent {

  EventType type();

  /** The order id for every saga event; it is also the Kafka record key. */
  String aggregateId();

  JsonObject toJson();
}
