package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.contracts.InventoryAddresses;
import io.ordermesh.contracts.NotificationAddresses;
import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.contracts.UserAddresses;
import io.ordermesh.platform.bus.BusHeaders;
import io.ordermesh.platform.bus.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cross-service check walks the order window page by page, and stops asking once its client has
 * left. The services are stand-ins on the event bus answering in their contract's shape: every page
 * holds one cancelled order that holds nothing, and another page always follows.
 */
class ConsistencyCheckTest {

  private Vertx vertx;
  private final AtomicInteger pagesServed = new AtomicInteger();
  private static final Caller ADMIN = new Caller("ops-1", Set.of(Caller.ADMIN), "corr-check-1", null);
  private final List<String> correlationIds = new CopyOnWriteArrayList<>();
  private final List<String> callers = new CopyOnWriteArrayList<>();
  /** Per page: how far before its deadline it arrived (negative: after). */
  private final List<Long> msBeforeDeadline = new CopyOnWriteArrayList<>();
  /** How long the stand-in order service takes to answer a page. */
  private volatile long pageTakesMs;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    JsonObject nothingHeld = new JsonObject().put("violations", new JsonArray()).put("holdings", new JsonObject());
    vertx.eventBus().<JsonObject>consumer(OrderAddresses.CONSISTENCY, request -> {
      pagesServed.incrementAndGet();
      correlationIds.add(String.valueOf(request.headers().get(BusHeaders.CORRELATION_ID)));
      callers.add(request.headers().get(BusHeaders.PRINCIPAL) + " as " + request.headers().get(BusHeaders.ROLES));
      msBeforeDeadline.add(Long.parseLong(request.headers().get(BusHeaders.DEADLINE)) - System.currentTimeMillis());
      String orderId = UUID.randomUUID().toString();
      JsonObject page = new JsonObject().put("violations", new JsonArray()).put("next", orderId)
          .put("orders", new JsonArray().add(new JsonObject().put("orderId", orderId).put("status", "CANCELLED")));
      if (pageTakesMs == 0) {
        request.reply(page);
      } else {
        vertx.setTimer(pageTakesMs, id -> request.reply(page));
      }
    });
    vertx.eventBus().<JsonObject>consumer(InventoryAddresses.CONSISTENCY, request -> request.reply(nothingHeld));
    vertx.eventBus().<JsonObject>consumer(UserAddresses.CONSISTENCY, request -> request.reply(nothingHeld));
    vertx.eventBus().<JsonObject>consumer(NotificationAddresses.CONSISTENCY, request -> request.reply(new JsonObject()
        .put("notifications", new JsonObject())));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void asksForNoFurtherPageOnceItsClientHasLeft() {
    ConsistencyCheck check = new ConsistencyCheck(vertx.eventBus(), Duration.ofSeconds(5));

    Future<JsonObject> run = check.run(new JsonObject(), ADMIN, () -> pagesServed.get() >= 3);

    Throwable failure = run.transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failure).isInstanceOf(ConsistencyCheck.Abandoned.class);
    assertThat(pagesServed).hasValue(3);
  }

  /** A check of many pages takes far longer than one page's timeout: each page is asked with a deadline of its own. */
  @Test
  void everyPageIsAskedWithADeadlineOfItsOwn() {
    pageTakesMs = 300;
    ConsistencyCheck check = new ConsistencyCheck(vertx.eventBus(), Duration.ofSeconds(1));

    check.run(new JsonObject(), ADMIN, () -> pagesServed.get() >= 5).transform(ar -> Future.succeededFuture()).await();

    assertThat(msBeforeDeadline).hasSize(5).allSatisfy(ms -> assertThat(ms).isPositive());
  }

  @Test
  void everyPageRequestCarriesTheCallerAndItsCorrelationId() {
    ConsistencyCheck check = new ConsistencyCheck(vertx.eventBus(), Duration.ofSeconds(5));

    check.run(new JsonObject(), ADMIN, () -> pagesServed.get() >= 2)
        .transform(ar -> Future.succeededFuture()).await();

    assertThat(correlationIds).hasSize(2).containsOnly("corr-check-1");
    assertThat(callers).hasSize(2).containsOnly("ops-1 as admin");
  }
}
