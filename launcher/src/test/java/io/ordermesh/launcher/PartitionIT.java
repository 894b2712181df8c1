package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real partition: three nodes, each in a network namespace of its own plugged into one bridge (a
 * switch), reaching the test PostgreSQL and Kafka through relays on the bridge. The services are spread
 * so that each node is the only one to serve something: {@code alpha} runs a gateway and orders,
 * {@code beta} inventory and notifications, {@code cut} a gateway and users. The cable of {@code cut}
 * is pulled long enough for Hazelcast to declare it gone on both sides, then plugged back.
 *
 * <p>After healing: requests through alpha's gateway reach the user service on cut, and requests
 * through cut's gateway reach orders on alpha and inventory on beta (every node's handlers receive
 * again, and the formerly cut node reaches the others); once that works it keeps working, with no
 * request timing out on a departed node; orders placed before, during and after the partition all
 * end CONFIRMED or CANCELLED (after it, CONFIRMED: the cut node's Kafka consumers work again) and the
 * invariants hold.
 *
 * <p>Without the privileges for {@code ip netns} the test is skipped (docs/deployment.md, "Partitions",
 * says how to run it by hand).
 */
class PartitionIT {

  private static final int HTTP_PORT = 8080;
  private static final int MANAGEMENT_PORT = 9100;
  private static final int CLUSTER_PORT = 5701;
  private static final String SAGA_DEADLINE = "20s";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  /** cluster.xml: no heartbeat for 8 s makes a member gone; give a loaded machine some slack. */
  private static final Duration DETECTION = Duration.ofSeconds(30);
  /** How long the split stays once both sides have seen it, so each side runs on its own for a while. */
  private static final Duration SPLIT_HELD = Duration.ofSeconds(3);
  /** Merge runs every 5 s; TCP retransmissions resume stalled connections with back-off. */
  private static final Duration RECOVERY = Duration.ofSeconds(60);
  private static final int STEADY_ROUNDS = 15;
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final Duration PLACE_EVERY = Duration.ofMillis(250);

  private static final TestWorld WORLD = new TestWorld();
  private static final String ADMIN = TestWorld.token("partition-admin", "admin");
  private static final List<ChildNode> NODES = new CopyOnWriteArrayList<>();
  private static NetworkLab lab;
  private static Vertx relays;
  private static String alpha;
  private static String beta;
  private static String cut;

  private final Map<String, String> placedWhen = new ConcurrentHashMap<>();
  private final List<Integer> statusesDuringSplit = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void plugThreeHostsIntoOneSwitch() {
    Optional<String> unavailable = NetworkLab.unavailableBecause();
    assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElseThrow()
        + ". docs/deployment.md (Partitions) shows the manual fallback.");
    TestInfra.shared();
    lab = NetworkLab.create();
    alpha = lab.addHost("alpha");
    beta = lab.addHost("beta");
    cut = lab.addHost("cut");

    relays = Vertx.vertx();
    String bridge = NetworkLab.bridgeAddress();
    TcpRelay postgres = TcpRelay.start(relays, bridge, 0, TestInfra.postgresPort());
    TcpRelay.start(relays, bridge, TestInfra.kafkaRelayedPort(), TestInfra.kafkaRelayedPort());
    String pgUri = TestInfra.postgresUriThrough(bridge, postgres.port());
    String kafka = bridge + ":" + TestInfra.kafkaRelayedPort();

    String members = String.join(",", alpha + ":" + CLUSTER_PORT, beta + ":" + CLUSTER_PORT, cut + ":" + CLUSTER_PORT);
    String cluster = "partition-" + ProcessHandle.current().pid();
    start("alpha", alpha, "gateway,order", pgUri, kafka, cluster, members);
    start("beta", beta, "inventory,notification", pgUri, kafka, cluster, members);
    start("cut", cut, "gateway,user", pgUri, kafka, cluster, members);

    await().atMost(START_TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
      for (String host : List.of(alpha, beta, cut)) {
        assertThat(readiness(host).getString("status")).as("readiness of %s", host).isEqualTo("UP");
      }
      assertThat(new Api(alpha, HTTP_PORT).get(null, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(new Api(cut, HTTP_PORT).get(null, "/health/ready").statusCode()).isEqualTo(200);
    });
  }

  @AfterAll
  static void unplugEverything() {
    try {
      if (lab != null) {
        // A failed test may have left a cable out; a node can only leave gracefully with it in.
        lab.healAll();
      }
      NODES.parallelStream().forEach(node -> {
        long started = System.nanoTime();
        try {
          node.stop();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        System.out.printf("node stopped in %d ms, log: %s%n", millisSince(started), node.log());
      });
      if (relays != null) {
        TestNodes.join(relays.close());
      }
    } finally {
      if (lab != null) {
        lab.close();
      }
    }
  }

  @Test
  void aNodeCutOffAndHealedIsReachedAndReachesTheOthersAgainWithNoOrderLost() {
    Api viaAlpha = new Api(alpha, HTTP_PORT);
    Api viaCut = new Api(cut, HTTP_PORT);
    String token = TestWorld.token(WORLD.rich);
    assertThat(place(viaAlpha, token, "before")).isEqualTo(202);
    assertThat(place(viaCut, token, "before")).isEqualTo(202);
    assertThat(viaAlpha.get(token, "/api/v1/users/me").statusCode()).as("alpha reaches users on cut").isEqualTo(200);

    lab.cut("cut");
    long cutAt = System.nanoTime();
    ScheduledExecutorService placer = Executors.newSingleThreadScheduledExecutor();
    AtomicReference<String> phase = new AtomicReference<>("during");
    placer.scheduleWithFixedDelay(() -> {
      int status = place(viaAlpha, token, phase.get());
      if ("during".equals(phase.get())) {
        statusesDuringSplit.add(status);
      }
    }, 0, PLACE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    try {
      await().atMost(DETECTION).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(members(alpha)).as("members alpha sees").isEqualTo(2);
        assertThat(members(beta)).as("members beta sees").isEqualTo(2);
      });
      System.out.printf("the majority saw the cut node leave %d ms after the cut%n", millisSince(cutAt));
      // The majority no longer sends to the departed node: "no handler" is a 503 at once, where a request
      // sent to the departed node would be a 504 after the gateway's 2 s.
      await().atMost(Duration.ofSeconds(5)).until(() -> viaAlpha.get(token, "/api/v1/users/me").statusCode() == 503);
      for (int i = 0; i < 5; i++) {
        assertThat(viaAlpha.get(token, "/api/v1/users/me").statusCode()).as("users while cut off").isEqualTo(503);
      }
      await().pollDelay(SPLIT_HELD).until(() -> true);

      lab.heal("cut");
      long healedAt = System.nanoTime();
      phase.set("healing");
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        for (String host : List.of(alpha, beta, cut)) {
          JsonObject ready = readiness(host);
          assertThat(ready.getJsonObject("cluster").getInteger("members")).as("members %s sees", host).isEqualTo(3);
          assertThat(ready.getString("status")).as("readiness of %s: %s", host, ready).isEqualTo("UP");
        }
      });
      System.out.printf("one cluster again, every node ready, %d ms after healing%n", millisSince(healedAt));
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> assertThat(roundTrip(viaAlpha, viaCut, token)).isEmpty());
      System.out.printf("every node served across the healed link %d ms after healing%n", millisSince(healedAt));
      phase.set("after");

      List<String> failures = new ArrayList<>();
      for (int round = 0; round < STEADY_ROUNDS; round++) {
        failures.addAll(roundTrip(viaAlpha, viaCut, token));
      }
      assertThat(failures).as("requests across the healed cluster that failed or were slow").isEmpty();

      // Published notices reach every node both ways, on an address all of them share (where a merge
      // keeps one side's subscriptions only): a fault injected through alpha fails users on cut, and
      // one injected through cut fails inventory on beta.
      String users = inject(viaAlpha, "user");
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
          .until(() -> viaAlpha.get(token, "/api/v1/users/me").statusCode() == 503);
      end(viaAlpha, users);
      String inventory = inject(viaCut, "inventory");
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
          .until(() -> isStale(viaAlpha.get(token, "/api/v1/products/" + WORLD.cheapSku)));
      end(viaCut, inventory);
    } finally {
      placer.shutdownNow();
    }

    assertThat(statusesDuringSplit).as("the majority kept taking orders").contains(202);
    await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      for (Map.Entry<String, String> order : placedWhen.entrySet()) {
        String status = viaAlpha.getJson(token, "/api/v1/orders/" + order.getKey()).getString("status");
        assertThat(status).as("order %s placed %s the partition", order.getKey(), order.getValue())
            .isIn("after".equals(order.getValue()) ? List.of("CONFIRMED") : List.of("CONFIRMED", "CANCELLED"));
      }
    });
    await().atMost(SETTLE).untilAsserted(() ->
        assertThat(viaCut.consistency(WORLD.rich).getJsonArray("violations")).isEmpty());
    System.out.printf("orders placed: %d before, %d during, %d while healing, %d after; during the split: %s%n",
        count("before"), count("during"), count("healing"), count("after"), statusesDuringSplit);
  }

  /**
   * One request per path that crosses nodes: alpha to users on cut, cut to orders on alpha, cut and
   * alpha to inventory on beta. Answers what failed (a request sent to a node that cannot answer is a
   * 504), or was served stale from the gateway's cache.
   */
  private List<String> roundTrip(Api viaAlpha, Api viaCut, String token) {
    List<String> failures = new ArrayList<>();
    expect(failures, "alpha -> users on cut", () -> viaAlpha.get(token, "/api/v1/users/me"));
    expect(failures, "cut -> inventory on beta", () -> viaCut.get(token, "/api/v1/products/" + WORLD.cheapSku));
    expect(failures, "alpha -> inventory on beta", () -> viaAlpha.get(token, "/api/v1/products/" + WORLD.cheapSku));
    int placed = place(viaCut, token, "after");
    if (placed != 202) {
      failures.add("cut -> orders on alpha: " + placed);
    }
    return failures;
  }

  private static void expect(List<String> failures, String path, java.util.function.Supplier<HttpResponse<String>> call) {
    HttpResponse<String> response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      failures.add(path + ": " + e);
      return;
    }
    if (response.statusCode() != 200 || isStale(response)) {
      failures.add(path + ": " + response.statusCode() + (isStale(response) ? " (served stale)" : ""));
    }
  }

  private static String inject(Api api, String service) {
    HttpResponse<String> injected = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/admin/faults"))
        .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("service", service)
            .put("mode", "fail").put("durationMs", 60_000).encode())));
    assertThat(injected.statusCode()).as(injected.body()).isEqualTo(201);
    return new JsonObject(injected.body()).getString("id");
  }

  private static void end(Api api, String faultId) {
    api.delete(ADMIN, "/admin/faults/" + faultId);
  }

  /** Served from the gateway's cache because inventory failed (or not served at all). */
  private static boolean isStale(HttpResponse<String> response) {
    return response.statusCode() == 503
        || response.headers().firstValue("Cache-Status").map(v -> v.contains("stale")).orElse(false);
  }

  private int place(Api api, String token, String when) {
    try {
      HttpResponse<String> response = api.placeOrder(token, TestWorld.order(WORLD.cheapSku, 1));
      if (response.statusCode() == 202) {
        placedWhen.put(new JsonObject(response.body()).getString("orderId"), when);
      }
      return response.statusCode();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private long count(String when) {
    return placedWhen.values().stream().filter(when::equals).count();
  }

  private static void start(String id, String host, String services, String pgUri, String kafka, String cluster,
      String members) {
    ChildNode node = ChildNode.inNamespace(lab.namespace(id), host, pgUri, kafka, cluster, CLUSTER_PORT, members, WORLD,
        "--node-id", id, "--services", services, "--http-port", Integer.toString(HTTP_PORT),
        "--management-port", Integer.toString(MANAGEMENT_PORT), "--saga-deadline", SAGA_DEADLINE);
    NODES.add(node);
    node.start();
  }

  /** A node's own readiness, from its management port (not listening yet: DOWN with no members). */
  private static JsonObject readiness(String host) {
    try {
      return new JsonObject(new Api(host, MANAGEMENT_PORT).get(null, "/health/ready").body());
    } catch (RuntimeException e) {
      return new JsonObject().put("status", "DOWN").put("error", e.toString())
          .put("cluster", new JsonObject().put("members", 0));
    }
  }

  private static int members(String host) {
    return readiness(host).getJsonObject("cluster").getInteger("members");
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
