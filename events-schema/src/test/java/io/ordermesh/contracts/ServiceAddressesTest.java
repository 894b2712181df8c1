package io.ordermesh.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which service owns an event-bus address: the gateway's breakers and fault injection key on it. */
class ServiceAddressesTest {

  @Test
  void namesTheServiceThatOwnsAnAddressByItsPrefix() {
    assertThat(ServiceAddresses.serviceOf(UserAddresses.GET)).contains(UserAddresses.SERVICE);
    assertThat(ServiceAddresses.serviceOf("orders.place")).contains(OrderAddresses.SERVICE);
    assertThat(ServiceAddresses.serviceOf("inventory.products")).contains(InventoryAddresses.SERVICE);
    assertThat(ServiceAddresses.serviceOf("notifications.list")).contains(NotificationAddresses.SERVICE);
  }

  @Test
  void namesNoServiceForAnAddressNoServiceOwns() {
    assertThat(ServiceAddresses.serviceOf("__vertx.reply.42")).isEmpty();
    assertThat(ServiceAddresses.serviceOf("users")).as("the prefix is the name and its dot").isEmpty();
    assertThat(ServiceAddresses.serviceOf("ordermesh.sniff.tap")).isEmpty();
  }

  @Test
  void knowsTheServicesByName() {
    assertThat(ServiceAddresses.isService(UserAddresses.SERVICE)).isTrue();
    assertThat(ServiceAddresses.isService("gateway")).isFalse();
  }
}
