package io.ordermesh.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LanesTest {

  /** An item of a poll: its name and the keys it decides on. */
  private record Item(String name, List<String> keys) {
    static Item of(String name, String... keys) {
      return new Item(name, Arrays.asList(keys));
    }
  }

  private static List<List<String>> split(Item... items) {
    return Lanes.split(List.of(items), Item::keys).stream()
        .map(lane -> lane.stream().map(Item::name).toList())
        .toList();
  }

  @Test
  void givesItemsWithDisjointKeysALaneEach() {
    assertThat(split(Item.of("a", "order-1"), Item.of("b", "order-2"), Item.of("c", "order-3")))
        .containsExactly(List.of("a"), List.of("b"), List.of("c"));
  }

  @Test
  void keepsItemsThatShareAKeyInOneLaneInTheirOriginalOrder() {
    assertThat(split(Item.of("placed", "order-1"), Item.of("other", "order-2"), Item.of("cancelled", "order-1")))
        .containsExactly(List.of("placed", "cancelled"), List.of("other"));
  }

  @Test
  void joinsLanesThroughAnItemThatSharesAKeyWithEach() {
    // a and c share nothing, but b decides on the rows of both: all three must run in order.
    assertThat(split(Item.of("a", "order-1", "sku:A"), Item.of("c", "order-3", "sku:C"),
        Item.of("d", "order-4"), Item.of("b", "order-2", "sku:A", "sku:C")))
        .containsExactly(List.of("a", "c", "b"), List.of("d"));
  }

  @Test
  void putsEverythingInOneLaneWhenEveryItemHasTheSameKey() {
    Map<String, List<String>> none = Map.of();
    assertThat(Lanes.split(List.of("x", "y", "z"), item -> List.of(""))).containsExactly(List.of("x", "y", "z"));
    assertThat(Lanes.split(List.<String>of(), item -> none.get(item))).isEmpty();
  }
}
