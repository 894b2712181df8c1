package io.ordermesh.events;

import java.util.List;

/** Kafka topic names. Every topic has a {@code .dlq} twin for records that could not be processed. */
public final class Topics {

  public static final String ORDERS = "orders.v1";
  public static final String INVENTORY = "inventory.v1";
  public static final String CUSTOMERS = "customers.v1";

  public static final List<String> DOMAIN = List.of(ORDERS, INVENTORY, CUSTOMERS);

  private static final String DLQ_SUFFIX = ".dlq";

  private Topics() {
  }

  public static String dlqOf(String topic) {
    return topic + DLQ_SUFFIX;
  }

  /** Every topic the system uses, domain topics and their DLQs. */
  public static List<String> all() {
    return DOMAIN.stream().flatMap(t -> java.util.stream.Stream.of(t, dlqOf(t))).toList();
  }
}
