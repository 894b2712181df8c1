package io.ordermesh.order.internal;

/** An order's life: PENDING until the saga confirms or cancels it. */
public enum OrderStatus {
  PENDING,
  CONFIRMED,
  CANCELLED
}
