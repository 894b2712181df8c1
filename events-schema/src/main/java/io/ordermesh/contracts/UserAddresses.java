package io.ordermesh.contracts;

/** The user service's event-bus contract. */
public final class UserAddresses {

  /** {@code {"customerId"}} -> {@code {"id","name","email","creditLimit","creditAvailable"}}, or NOT_FOUND. */
  public static final String GET = "users.get";

  public static final String SERVICE = "user";
  public static final String SCHEMA = "users";

  private UserAddresses() {
  }
}
