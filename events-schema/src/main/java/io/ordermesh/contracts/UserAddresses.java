package io.ordermesh.contracts;

/** The user service's event-bus contract. */
public final class UserAddresses {

  /**
   * {@code {"customerId", "fresh"?, "existenceOnly"?, "asJsonText"?}} -> {@code {"id","name","email",
   * "creditLimit","creditAvailable"}}, or NOT_FOUND. Answered from the service's memory until the
   * customer's credit changes; {@code "fresh": true} reads the database; {@code "existenceOnly": true}
   * (the caller wants to know only that the customer exists) may be answered with credit from before a
   * change. {@code "asJsonText": true} asks for the answer as the bytes of its JSON text (a
   * {@code Buffer}) rather than an object: a caller that sends it on as it is (the gateway) saves a copy
   * and an encode per read. A service from before the flag answers with the object, so a caller that
   * asks must take either (decision 18).
   */
  public static final String GET = "users.get";

  /**
   * Admin: {@code {"orderIds":[…]}} -> {@code {"violations":[…], "holdings":{orderId:{"reserved":"0.00","captured":"0.00"}}}};
   * violations break {@code limit = available + reserved + spent} for a customer.
   */
  public static final String CONSISTENCY = "users.consistency";

  public static final String SERVICE = "user";
  public static final String SCHEMA = "users";

  private UserAddresses() {
  }
}
