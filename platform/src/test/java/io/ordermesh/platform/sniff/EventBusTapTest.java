package io.ordermesh.platform.sniff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.platform.bus.Caller;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an attached sniffer is shown: a request that timed out is reported as a failed reply with its
 * latency (Vert.x fails it where no interceptor sees it), and personal data is redacted wherever it
 * sits in a body, arrays included.
 */
class EventBusTapTest {

  private static final String SILENT = "test.tap.silent";
  private static final String ECHO = "test.tap.echo";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Long enough for a cold JVM's first request. */
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(2);

  private Vertx vertx;
  private final List<JsonObject> copies = new CopyOnWriteArrayList<>();
  private final List<Object> delivered = new CopyOnWriteArrayList<>();

  @BeforeEach
  void attach() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(EventBusTap.TAP, m -> copies.add(m.body())).completion().await();
    vertx.eventBus().consumer(SILENT, m -> delivered.add(m.body())).completion().await();
    vertx.eventBus().<JsonObject>consumer(ECHO, m -> m.reply(new JsonObject().put("ok", true))).completion().await();
    EventBusTap tap = EventBusTap.install(vertx, "node-a", Set.of("email", "token"), 1_000).await();
    EventBusTap.attach(vertx).await();
    await().atMost(TIMEOUT).until(tap::isActive);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void reportsARequestThatTimedOutAsAFailedReplyWithItsLatency() {
    Caller caller = new Caller("alice", Set.of(), "corr-timeout", null);

    vertx.eventBus().request(SILENT, new JsonObject(), caller.deliveryOptions(200));

    JsonObject reply = await().atMost(TIMEOUT).until(() -> copyOf("reply", SILENT), r -> r != null);
    assertThat(reply.getBoolean("failed")).isTrue();
    assertThat(reply.getString("correlationId")).isEqualTo("corr-timeout");
    assertThat(reply.getString("preview")).contains("timed out").contains("200 ms");
    assertThat(reply.getDouble("latencyMs")).isGreaterThanOrEqualTo(200);
  }

  @Test
  void anAnsweredRequestIsReportedOnceAndNotAsATimeout() {
    Caller caller = new Caller("alice", Set.of(), "corr-echo", null);

    vertx.eventBus().request(ECHO, new JsonObject(), caller.deliveryOptions(ANSWERED_WITHIN.toMillis())).await();
    // A request that times out after the answered one would have: once it is reported, the first one's
    // timeout has passed too.
    vertx.eventBus().request(SILENT, new JsonObject(), caller.deliveryOptions(ANSWERED_WITHIN.toMillis() + 100));
    await().atMost(TIMEOUT).until(() -> copyOf("reply", SILENT) != null);

    assertThat(copies).filteredOn(c -> "reply".equals(c.getString("kind")) && ECHO.equals(c.getString("address")))
        .singleElement().satisfies(r -> assertThat(r.getBoolean("failed", false)).isFalse());
  }

  @Test
  void redactsPersonalDataInsideArraysToo() {
    JsonObject body = new JsonObject().put("customers", new JsonArray()
        .add(new JsonObject().put("id", "alice").put("email", "alice@example.com"))
        .add(new JsonArray().add(new JsonObject().put("email", "bob@example.com"))));

    vertx.eventBus().send(SILENT, body);
    vertx.eventBus().send(SILENT, body.getJsonArray("customers"));

    await().atMost(TIMEOUT).until(() -> copies.stream().filter(c -> SILENT.equals(c.getString("address"))).count() == 2);
    assertThat(copies).filteredOn(c -> SILENT.equals(c.getString("address")))
        .allSatisfy(c -> assertThat(c.getString("preview")).contains("alice").doesNotContain("@example.com"));
    assertThat(delivered).hasSize(2).allSatisfy(received -> assertThat(String.valueOf(received))
        .as("what the recipient gets is untouched").contains("alice@example.com"));
  }

  @Test
  void redactsFieldsWhoseNamesContainARedactedNameInAnyCase() {
    vertx.eventBus().send(SILENT, new JsonObject().put("customerId", "carol").put("customerEmail", "carol@example.com")
        .put("Email", "carol@example.org").put("accessToken", "tok-123"));

    await().atMost(TIMEOUT).until(() -> copyOf("send", SILENT) != null);
    assertThat(copyOf("send", SILENT).getString("preview")).contains("carol")
        .doesNotContain("@example.com").doesNotContain("@example.org").doesNotContain("tok-123");
  }

  @Test
  void showsAndRedactsAnObjectSentAsItsJsonText() {
    Buffer profile = new JsonObject().put("id", "dave").put("email", "dave@example.com").toBuffer();

    vertx.eventBus().send(SILENT, profile);

    await().atMost(TIMEOUT).until(() -> copyOf("send", SILENT) != null);
    assertThat(copyOf("send", SILENT).getString("preview")).contains("\"id\":\"dave\"").contains("\"email\":\"***\"")
        .doesNotContain("@example.com");
  }

  @Test
  void showsOnlyTheKindAndSizeOfABodyThatIsNotJson() {
    vertx.eventBus().send(SILENT, "password=hunter2");
    vertx.eventBus().send(SILENT, Buffer.buffer("secret bytes"));
    vertx.eventBus().send(SILENT, Buffer.buffer("{\"email\": cut short"));

    await().atMost(TIMEOUT).until(() -> copies.stream().filter(c -> SILENT.equals(c.getString("address"))).count() == 3);
    assertThat(copies).filteredOn(c -> SILENT.equals(c.getString("address"))).extracting(c -> c.getString("preview"))
        .containsExactlyInAnyOrder("(text, 16 characters)", "(12 bytes)", "(19 bytes)");
  }

  private JsonObject copyOf(String kind, String address) {
    return copies.stream().filter(c -> kind.equals(c.getString("kind")) && address.equals(c.getString("address")))
        .findFirst().orElse(null);
  }
}
