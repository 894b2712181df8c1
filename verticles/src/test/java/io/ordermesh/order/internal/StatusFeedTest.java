package io.ordermesh.order.internal;

import static io.ordermesh.testing.TestPostgres.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.events.CancellationReason;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outcomes go out on the bus only while some gateway follows orders: with no stream open anywhere,
 * no gateway receives every outcome of every saga for nobody.
 */
class StatusFeedTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Vertx vertx;
  private final List<JsonObject> told = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() {
    vertx = Vertx.vertx();
    join(vertx.eventBus().<JsonObject>consumer(OrderAddresses.STATUS_CHANGED, m -> told.add(m.body())).completion());
  }

  @AfterEach
  void close() {
    join(vertx.close());
  }

  @Test
  void tellsOutcomesOnlyWhileAGatewayFollowsOrders() {
    StatusFeed feed = new StatusFeed(vertx);
    join(feed.start());
    UUID unfollowed = UUID.randomUUID();
    UUID followed = UUID.randomUUID();

    feed.changed(unfollowed, OrderStatus.CONFIRMED, null, "corr-1");
    join(vertx.sharedData().<String, Long>getAsyncMap(OrderAddresses.STREAMS_MAP)
        .compose(map -> map.put("gateway-1", System.currentTimeMillis(), OrderAddresses.STREAMS_TTL_MS)));
    vertx.eventBus().publish(OrderAddresses.STREAMS_CHANGED, null);
    await().atMost(TIMEOUT).until(feed::followed);
    feed.changed(followed, OrderStatus.CANCELLED, CancellationReason.OUT_OF_STOCK, "corr-2");

    await().atMost(TIMEOUT).until(() -> !told.isEmpty());
    // Published in order, so the first would have arrived first.
    assertThat(told).singleElement().satisfies(change -> {
      assertThat(change.getString("orderId")).isEqualTo(followed.toString());
      assertThat(change.getString("status")).isEqualTo("CANCELLED");
      assertThat(change.getString("reason")).isEqualTo("OUT_OF_STOCK");
    });
  }
}
