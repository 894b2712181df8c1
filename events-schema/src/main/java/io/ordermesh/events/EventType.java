package io.ordermesh.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every event type of the saga, with its current version and the topic it is published on.
 * Events of one order keep their order within a topic because the record key is the order id.
 */
public enum EventType {
  ORDER_PLACED("OrderPlaced", Topics.ORDERS),
  ORDER_CONFIRMED("OrderConfirmed", Topics.ORDERS),
  ORDER_CANCELLED("OrderCancelled", Topics.ORDERS),
  STOCK_RESERVED("StockReserved", Topics.INVENTORY),
  STOCK_REJECTED("StockRejected", Topics.INVENTORY),
  STOCK_RELEASED("StockReleased", Topics.INVENTORY),
  CREDIT_RESERVED("CreditReserved", Topics.CUSTOMERS),
  CREDIT_REJECTED("CreditRejected", Topics.CUSTOMERS),
  CREDIT_RELEASED("CreditReleased", Topics.CUSTOMERS);

  /** The only version of each event so far; a v2 gets its own schema file next to v1. */
  public static final int CURRENT_VERSION = 1;

  private final String wireName;
  private final String topic;

  EventType(String wireName, String topic) {
    this.wireName = wireName;
    this.topic = topic;
  }

  /** The name in the envelope's {@code type} field and the {@code type} header. */
  public String wireName() {
    return wireName;
  }

  public String topic() {
    return topic;
  }

  public int version() {
    return CURRENT_VERSION;
  }

  /** Classpath location of the JSON Schema for this type's {@code data} at the given version. */
  public String schemaResource(int version) {
    return "events/" + wireName + ".v" + version + ".json";
  }

  public static Optional<EventType> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}
