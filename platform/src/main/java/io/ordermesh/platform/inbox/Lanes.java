package io.ordermesh.platform.inbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Splits a list into lanes: items that share a key, directly or through other items, land in the same
 * lane, and each lane keeps the list's order.
 */
final class Lanes {

  private Lanes() {
  }

  static <T> List<List<T>> split(List<T> items, Function<T, Collection<String>> keys) {
    int[] parent = new int[items.size()];
    Map<String, Integer> firstWithKey = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      parent[i] = i;
      for (String key : keys.apply(items.get(i))) {
        Integer other = firstWithKey.putIfAbsent(key, i);
        if (other != null) {
          union(parent, i, other);
        }
      }
    }
    Map<Integer, List<T>> lanes = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      lanes.computeIfAbsent(root(parent, i), r -> new ArrayList<>()).add(items.get(i));
    }
    return List.copyOf(lanes.values());
  }

  private static void union(int[] parent, int a, int b) {
    int rootA = root(parent, a);
    int rootB = root(parent, b);
    if (rootA != rootB) {
      parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
    }
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
