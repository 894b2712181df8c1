package io.ordermesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.contracts.OrderAddresses;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.config.OrdermeshConfig.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An order's event stream passes on the outcome the order service publishes, even while every read of
 * the order still says PENDING (the stand-in order service below never says anything else): the
 * stream follows the publish, not its reads. Outcomes of orders the caller may not see reach nobody.
 */
class OrderEventsStreamTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Vertx vertx;
  private HttpServer server;
  private volatile Consumer<Message<JsonObject>> orderService;
  private static final int STREAMS_PER_CALLER = 3;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(OrderAddresses.GET, request -> orderService.accept(request)).completion()
        .await();
    server = vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public io.vertx.core.Future<?> start() {
        OrderEventsStream stream = OrderEventsStream.listening(vertx, new BusClient(vertx, GatewayConfig.defaults()),
            Duration.ofSeconds(30), new OpenStreams(vertx, STREAMS_PER_CALLER));
        Router router = Router.router(vertx);
        router.route().handler(Correlation::assign);
        router.route().failureHandler(Problems::handle);
        router.get("/orders/:id/events").handler(stream::handle);
        return vertx.createHttpServer().requestHandler(router).listen(0).onSuccess(s -> server = s);
      }
    }).map(id -> server).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void passesOnThePublishedOutcomeWhileReadsStillSayPending() throws Exception {
    String orderId = UUID.randomUUID().toString();
    orderService = request -> request.reply(order(orderId, "PENDING"));

    HttpResponse<Stream<String>> response = open(orderId);
    Iterator<String> events = statuses(response);
    assertThat(events.next()).isEqualTo("PENDING");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(gatewaysFollowing())
        .as("order services are told someone follows, so they publish outcomes").isEqualTo(1));
    publish(orderId, "CONFIRMED", null);

    assertThat(events.next()).isEqualTo("CONFIRMED");
    assertThat(events.hasNext()).as("the stream ends at the outcome").isFalse();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(gatewaysFollowing())
        .as("and that nobody does once the last stream ended").isZero());
  }

  @Test
  void followsAnOrderWhoseIdTheCallerWroteInCapitals() throws Exception {
    String orderId = UUID.randomUUID().toString();
    orderService = request -> request.reply(order(orderId, "PENDING"));

    Iterator<String> events = statuses(open(orderId.toUpperCase(java.util.Locale.ROOT)));
    assertThat(events.next()).isEqualTo("PENDING");
    publish(orderId, "CANCELLED", "TIMEOUT");

    assertThat(events.next()).isEqualTo("CANCELLED");
  }

  private int gatewaysFollowing() {
    return vertx.sharedData().<String, Long>getAsyncMap(OrderAddresses.STREAMS_MAP).compose(m -> m.size()).await();
  }

  @Test
  void keepsAnOutcomePublishedWhileTheFirstReadIsUnderWay() throws Exception {
    String orderId = UUID.randomUUID().toString();
    orderService = request -> {
      publish(orderId, "CANCELLED", "OUT_OF_STOCK");
      // The read was made before the cancellation committed; its answer arrives after the publish.
      vertx.setTimer(200, id -> request.reply(order(orderId, "PENDING")));
    };

    List<String> events = iterate(statuses(open(orderId)));

    assertThat(events).containsExactly("PENDING", "CANCELLED");
  }

  @Test
  void aCallerTheOrderServiceRefusesGets404AndNoPublishedOutcome() throws Exception {
    String orderId = UUID.randomUUID().toString();
    orderService = request -> {
      publish(orderId, "CONFIRMED", null);
      vertx.setTimer(200, id -> request.fail(Failure.NOT_FOUND.code(), "no such order"));
    };

    HttpResponse<Stream<String>> response = open(orderId);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body().toList()).noneMatch(line -> line.contains("CONFIRMED"));
  }

  @Test
  void refusesACallerAStreamBeyondItsLimitUntilOneOfItsStreamsEnds() throws Exception {
    orderService = request -> request.reply(order(request.body().getString("orderId"), "PENDING"));
    List<String> orders = Stream.generate(() -> UUID.randomUUID().toString()).limit(STREAMS_PER_CALLER).toList();
    for (String orderId : orders) {
      assertThat(statuses(open(orderId)).next()).isEqualTo("PENDING");
    }

    HttpResponse<Stream<String>> refused = open(UUID.randomUUID().toString());
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body().toList()).anyMatch(line -> line.contains("too-many-streams"));

    publish(orders.get(0), "CONFIRMED", null);
    await().atMost(TIMEOUT).until(() -> {
      HttpResponse<Stream<String>> another = open(UUID.randomUUID().toString());
      return another.statusCode() == 200;
    });
  }

  private HttpResponse<Stream<String>> open(String orderId) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + "/orders/" + orderId + "/events")).timeout(TIMEOUT).build();
    return http.send(request, HttpResponse.BodyHandlers.ofLines());
  }

  private static Iterator<String> statuses(HttpResponse<Stream<String>> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body().filter(line -> line.startsWith("data: "))
        .map(line -> new JsonObject(line.substring("data: ".length())).getString("status")).iterator();
  }

  private static List<String> iterate(Iterator<String> events) {
    List<String> all = new java.util.ArrayList<>();
    events.forEachRemaining(all::add);
    return all;
  }

  private void publish(String orderId, String status, String reason) {
    vertx.eventBus().publish(OrderAddresses.STATUS_CHANGED,
        new JsonObject().put("orderId", orderId).put("status", status).put("reason", reason));
  }

  private static JsonObject order(String orderId, String status) {
    return new JsonObject().put("orderId", orderId).put("status", status);
  }
}
