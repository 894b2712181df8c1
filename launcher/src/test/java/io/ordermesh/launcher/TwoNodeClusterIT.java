package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordermesh.launcher.node.ClusterSettings;
import io.ordermesh.launcher.node.OrdermeshNode;
import io.ordermesh.launcher.node.Service;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs clustered over loopback: this test JVM runs only the gateway, a second JVM (the real fat
 * jar) runs every service. An order placed on the gateway is carried out on the other node. A fat-jar
 * node asked to stop while it starts stops like any other.
 */
class TwoNodeClusterIT {

  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);

  private static final String SERVICES_NODE_ID = "services-node";
  private static final String STOPPED_WHILE_STARTING = "stopped-while-starting";

  private ChildNode servicesNode;
  private Path servicesLog;
  private Thread sniffReader;
  private OrdermeshNode gatewayNode;

  @Test
  void theGatewayOnOneNodePlacesAnOrderWhoseServicesRunOnTheOther() throws IOException {
    EmbeddedInfra infra = TestInfra.shared();
    TestWorld world = new TestWorld();
    int gatewayPort = TestInfra.freePort();
    int servicesPort = TestInfra.freePort();
    int servicesHttpPort = TestInfra.freePort();
    String members = "127.0.0.1:" + gatewayPort + ",127.0.0.1:" + servicesPort;

    servicesNode = startServicesJvm(members, servicesPort, servicesHttpPort, world);
    gatewayNode = TestNodes.start(
        TestNodes.config(infra.postgresUri().orElseThrow(), infra.kafkaBootstrap().orElseThrow()),
        Set.of(Service.GATEWAY),
        Optional.of(new ClusterSettings(null, "it-" + servicesPort, "127.0.0.1", gatewayPort,
            List.of(members.split(",")), null, 0)),
        new JsonObject());

    Api api = new Api(gatewayNode.httpPort());
    String token = TestWorld.token(world.rich);
    String correlationId = "across-" + UUID.randomUUID();
    List<JsonObject> sniffed = sniff(gatewayNode.httpPort(), correlationId);
    await().atMost(SAGA_TIMEOUT).until(() -> {
      api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gatewayNode.httpPort()
          + "/api/v1/users/me")).header("Authorization", "Bearer " + token).header("X-Correlation-ID", correlationId)
          .GET());
      return !sniffed.isEmpty();
    });
    JsonObject placed = new JsonObject(api.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + gatewayNode.httpPort() + "/api/v1/orders"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Idempotency-Key", UUID.randomUUID().toString()).header("X-Correlation-ID", correlationId)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TestWorld.order(world.cheapSku, 1)))).body());

    await().atMost(SAGA_TIMEOUT).untilAsserted(() -> assertThat(
        api.getJson(token, "/api/v1/orders/" + placed.getString("orderId")).getString("status"))
        .isEqualTo("CONFIRMED"));
    assertThat(servicesNode.isAlive()).isTrue();
    assertThat(api.getJson(token, "/api/v1/users/me").getString("id"))
        .as("the profile, sent across the cluster as its JSON text").isEqualTo(world.rich);
    await().atMost(SAGA_TIMEOUT).untilAsserted(() -> assertThat(Files.readAllLines(servicesLog))
        .as("the other JVM confirmed it").anyMatch(line -> line.contains("order " + placed.getString("orderId")
            + " CONFIRMED")));
    // One sniffer on this node sees both JVMs' traffic for the request, and the other JVM logged its id.
    await().atMost(SAGA_TIMEOUT).untilAsserted(() -> assertThat(sniffed.stream().map(m -> m.getString("node")))
        .contains(SERVICES_NODE_ID, gatewayNode.settings().config().nodeId()));
    await().atMost(SAGA_TIMEOUT).untilAsserted(() -> assertThat(Files.readAllLines(servicesLog))
        .anyMatch(line -> line.contains("\"correlationId\":\"" + correlationId + "\"")));
    Api jarGateway = new Api(servicesHttpPort);
    await().atMost(SAGA_TIMEOUT).untilAsserted(() ->
        assertThat(jarGateway.get(null, "/health/ready").statusCode()).isEqualTo(200));
    assertThat(jarGateway.get(null, "/openapi.json").statusCode()).isEqualTo(200);
    assertThat(jarGateway.getJson(token, "/api/v1/orders/" + placed.getString("orderId")).getString("status"))
        .isEqualTo("CONFIRMED");

    // A fault injected through this node's gateway takes effect where inventory runs: the other JVM.
    String admin = TestWorld.token("cluster-admin", "admin");
    var injected = api.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + gatewayNode.httpPort() + "/admin/faults"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"service\":\"inventory\",\"mode\":\"fail\",\"durationMs\":60000}")));
    assertThat(injected.statusCode()).as(injected.body()).isEqualTo(201);
    await().atMost(SAGA_TIMEOUT).untilAsserted(() ->
        assertThat(api.get(token, "/api/v1/products/" + world.priceySku).statusCode()).isEqualTo(503));
    String faultId = new JsonObject(injected.body()).getString("id");
    api.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + gatewayNode.httpPort() + "/admin/faults/" + faultId))
        .header("Authorization", "Bearer " + admin).DELETE());
    await().atMost(SAGA_TIMEOUT).untilAsserted(() ->
        assertThat(api.get(token, "/api/v1/products/" + world.priceySku).statusCode()).isEqualTo(200));
  }

  @Test
  void aNodeStoppedWhileItStartsFinishesItsStartThenStopsAndLeavesInOrder() throws InterruptedException {
    int clusterPort = TestInfra.freePort();
    ChildNode node = ChildNode.clustered("starting-" + clusterPort, clusterPort, "127.0.0.1:" + clusterPort,
        new TestWorld(), "--node-id", STOPPED_WHILE_STARTING, "--http-port", "0");
    servicesNode = node.start();
    // Vert.x is up and a cluster member; the services (migrations, consumer groups) are yet to come.
    await().atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(10))
        .until(() -> node.logOfThisRun().stream().anyMatch(line -> line.contains("runs Vert.x on the")));
    boolean readyWhenStopped = node.isReady();

    node.stop();

    assertThat(readyWhenStopped).as("the SIGTERM came during the start").isFalse();
    assertThat(node.isAlive()).as("gone within the stop's 30 s").isFalse();
    assertThat(node.logOfThisRun())
        .anyMatch(line -> line.contains("node " + STOPPED_WHILE_STARTING + " undeployed everything"))
        .anyMatch(line -> line.contains("node " + STOPPED_WHILE_STARTING + " stopped in"));
  }

  private ChildNode startServicesJvm(String members, int clusterPort, int httpPort, TestWorld world) {
    ChildNode node = ChildNode.clustered("it-" + clusterPort, clusterPort, members, world,
        "--node-id", SERVICES_NODE_ID,
        // Its own gateway too: proves the fat jar itself can serve HTTP (everything it needs is packed).
        "--services", "user,inventory,order,notification,gateway",
        "--http-port", Integer.toString(httpPort));
    servicesLog = node.log();
    return node.start();
  }

  /** Attaches a sniffer to a gateway and collects what it streams, on a thread of its own. */
  private List<JsonObject> sniff(int port, String correlationId) {
    List<JsonObject> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
        + "/admin/sniff?correlation=" + correlationId))
        .header("Authorization", "Bearer " + TestWorld.token("cluster-sniffer", "admin")).GET().build();
    sniffReader = new Thread(() -> {
      try {
        java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofLines())
            .body().filter(l -> l.startsWith("data: ")).forEach(l -> seen.add(new JsonObject(l.substring(6))));
      } catch (Exception e) {
        // the stream ends with the node
      }
    }, "cluster-sniff-reader");
    sniffReader.setDaemon(true);
    sniffReader.start();
    return seen;
  }

  @AfterEach
  void stopNodes() throws InterruptedException {
    if (sniffReader != null) {
      sniffReader.interrupt();
    }
    if (gatewayNode != null) {
      TestNodes.join(gatewayNode.stop());
    }
    if (servicesNode != null) {
      servicesNode.stop();
    }
  }
}
