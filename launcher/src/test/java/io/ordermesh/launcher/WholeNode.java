package io.ordermesh.launcher;

import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One node running every service on the shared embedded infrastructure, seeded with a world of its
 * own: started before a test class's first test, stopped after its last. Register it on a static
 * field ({@code @RegisterExtension static final WholeNode system = new WholeNode();}).
 */
final class WholeNode implements BeforeAllCallback, AfterAllCallback {

  private final TestWorld world = new TestWorld();
  private final JsonObject seed;
  private OrdermeshNode node;
  private Api api;

  WholeNode() {
    this.seed = world.seed();
  }

  /** Seeded also with {@code customers}, each with {@code creditLimit} ({@link TestWorld#seedWith}). */
  WholeNode(List<String> customers, String creditLimit) {
    this.seed = world.seedWith(customers, creditLimit);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node = TestNodes.start(TestNodes.shared(), Service.all(), Optional.empty(), seed);
    api = new Api(node.httpPort());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (node != null) {
      TestNodes.join(node.stop());
    }
  }

  /** The customers and products this node was seeded with. */
  TestWorld world() {
    return world;
  }

  OrdermeshNode node() {
    return node;
  }

  /** An HTTP client for this node's gateway. */
  Api api() {
    return api;
  }
}
