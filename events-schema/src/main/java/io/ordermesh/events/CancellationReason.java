package io.ordermesh.events;

/** Why an order was cancelled; also the reason of the rejection events that lead to it. */
public enum CancellationReason {
  OUT_OF_STOCK,
  UNKNOWN_SKU,
  UNKNOWN_CUSTOMER,
  CREDIT_LIMIT_EXCEEDED,
  CANCELLED_BY_CUSTOMER,
  TIMEOUT
}
