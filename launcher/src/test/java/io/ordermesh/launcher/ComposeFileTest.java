package io.ordermesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Docker cannot run here, so the compose deployment is checked by reading it: the services exist,
 * the three Ordermesh nodes together run every service, they wait for healthy infrastructure, share
 * one cluster and one JWT key, expose health checks, and Prometheus and Grafana are wired to them.
 */
class ComposeFileTest {

  private static final Path ROOT = Path.of("..");
  private static final List<String> NODES = List.of("node1", "node2", "node3");

  @Test
  void declaresInfrastructureThreeNodesAndMonitoring() throws IOException {
    Map<String, Object> services = map(compose().get("services"));

    assertThat(services.keySet()).containsExactlyInAnyOrder("postgres", "kafka", "node1", "node2", "node3",
        "prometheus", "grafana");
    assertThat(map(services.get("postgres")).get("healthcheck")).isNotNull();
    assertThat(map(services.get("kafka")).get("healthcheck")).isNotNull();
  }

  @Test
  void theNodesTogetherRunEveryServiceAndWaitForHealthyInfrastructure() throws IOException {
    Map<String, Object> services = map(compose().get("services"));
    Set<String> deployed = new HashSet<>();
    for (String name : NODES) {
      Map<String, Object> node = map(services.get(name));
      List<String> command = strings(node.get("command"));
      assertThat(command).contains("run", "--cluster");
      deployed.addAll(List.of(command.get(command.indexOf("--services") + 1).split(",")));
      Map<String, Object> dependsOn = map(node.get("depends_on"));
      assertThat(map(dependsOn.get("postgres")).get("condition")).isEqualTo("service_healthy");
      assertThat(map(dependsOn.get("kafka")).get("condition")).isEqualTo("service_healthy");
      assertThat(strings(map(node.get("healthcheck")).get("test"))).as("a node is healthy when ready")
          .anySatisfy(part -> assertThat(part).contains("/dev/tcp/127.0.0.1/9100", "GET /health/ready", " 200 "));
      Map<String, Object> env = map(node.get("environment"));
      assertThat(env).containsKeys("ORDERMESH_PG", "ORDERMESH_KAFKA", "ORDERMESH_CLUSTER_MEMBERS",
          "ORDERMESH_JWT_SECRET", "ORDERMESH_MANAGEMENT_PORT");
      assertThat(String.valueOf(env.get("ORDERMESH_CLUSTER_MEMBERS"))).contains("node1", "node2", "node3");
      assertThat(env.get("ORDERMESH_SEED")).as("a demo on a remote-looking PostgreSQL seeds only when told")
          .isEqualTo("true");
      if (String.valueOf(node.get("ports")).contains("8025:8025")) {
        assertThat(command).as("the published mailbox port reaches a mailbox on every interface")
            .containsSequence("--mailbox-host", "0.0.0.0");
      }
    }
    assertThat(deployed).containsExactlyInAnyOrder("gateway", "order", "inventory", "user", "notification");
  }

  /** Whoever knows the token key signs admin tokens; whoever reaches Kafka or PostgreSQL bypasses the gateway. */
  @Test
  void shipsNoTokenKeyAndPublishesTheInfrastructureOnLoopbackOnly() throws IOException {
    Map<String, Object> services = map(compose().get("services"));
    for (String name : NODES) {
      String secret = String.valueOf(map(map(services.get(name)).get("environment")).get("ORDERMESH_JWT_SECRET"));
      assertThat(secret).as("required from the environment, no default").startsWith("${ORDERMESH_JWT_SECRET:?")
          .doesNotContain(":-");
    }
    assertThat(map(services.get("kafka")).get("ports")).as("Kafka is not published").isNull();
    for (String name : List.of("postgres", "prometheus", "grafana")) {
      assertThat(strings(map(services.get(name)).get("ports"))).as(name).allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
    }
  }

  @Test
  void prometheusScrapesEveryNodeAndGrafanaHasTheDashboard() throws IOException {
    Map<String, Object> prometheus = load(ROOT.resolve("deploy/prometheus/prometheus.yml"));
    String targets = prometheus.get("scrape_configs").toString();
    NODES.forEach(node -> assertThat(targets).contains(node + ":9100"));

    JsonObject dashboard = new JsonObject(Files.readString(ROOT.resolve("deploy/grafana/dashboards/ordermesh.json")));
    Set<String> titles = dashboard.getJsonArray("panels").stream().map(p -> ((JsonObject) p).getString("title"))
        .collect(Collectors.toSet());
    assertThat(titles).anyMatch(t -> t.startsWith("Saga outcomes")).anyMatch(t -> t.startsWith("Breaker state"))
        .anyMatch(t -> t.startsWith("Outbox")).anyMatch(t -> t.startsWith("Consumers")).anyMatch(t -> t.contains("RED"));
    String queries = dashboard.encode();
    for (String metric : List.of("ordermesh_saga_outcomes_total", "ordermesh_breaker_state", "ordermesh_outbox_backlog",
        "ordermesh_outbox_relay_active", "ordermesh_inbox_events_processed_total", "vertx_http_server_requests_total")) {
      assertThat(queries).contains(metric);
    }
    assertThat(Files.exists(ROOT.resolve("Dockerfile"))).isTrue();
  }

  private static Map<String, Object> compose() throws IOException {
    return load(ROOT.resolve("docker-compose.yml"));
  }

  private static Map<String, Object> load(Path file) throws IOException {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(10);
    return new Yaml(options).load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<String>) value;
  }
}
