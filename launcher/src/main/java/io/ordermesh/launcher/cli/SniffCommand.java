package io.ordermesh.launcher.cli;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.Topics;
import io.ordermesh.gateway.JwtTokens;
import io.ordermesh.platform.config.Defaults;
import io.ordermesh.platform.config.OrdermeshConfig.AuthConfig;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ordermesh sniff}: live event-bus traffic of the whole cluster, one line per message, read
 * from a node's {@code /admin/sniff} stream (the tap takes nothing away from anyone); {@code --kafka}
 * merges the saga's Kafka records into the same stream.
 */
@Command(name = "sniff", mixinStandardHelpOptions = true,
    description = "Print live event-bus traffic (and with --kafka the saga's Kafka records), cluster-wide.")
public final class SniffCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final Duration KAFKA_POLL = Duration.ofMillis(200);

  @Mixin
  HomeOption homeOption;

  @Option(names = "--url", defaultValue = "http://localhost:" + Defaults.HTTP_PORT, paramLabel = "URL",
      description = "A gateway of the cluster. Default: ${DEFAULT-VALUE}")
  String url;

  @Option(names = "--address", paramLabel = "GLOB", description = "Only these addresses, e.g. 'orders.*'.")
  String address;

  @Option(names = "--correlation", paramLabel = "ID", description = "Only this correlation id.")
  String correlation;

  @Option(names = "--kafka", description = "Also print the saga's Kafka records.")
  boolean kafka;

  @Option(names = "--kafka-bootstrap", defaultValue = "127.0.0.1:" + Defaults.EMBEDDED_KAFKA_PORT, paramLabel = "HOST:PORT",
      description = "Kafka for --kafka. Default: ${DEFAULT-VALUE}")
  String bootstrap;

  @Option(names = "--json", description = "Print each message as one JSON object.")
  boolean json;

  @Option(names = "--jwt-secret", paramLabel = "SECRET", description = "Sign the admin token with this key instead of the home's.")
  String jwtSecret;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (kafka) {
      Thread records = new Thread(this::followKafka, "sniff-kafka");
      records.setDaemon(true);
      records.start();
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/admin/sniff" + query()))
        .header("Authorization", "Bearer " + adminToken()).GET().build();
    HttpResponse<java.util.stream.Stream<String>> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      System.err.println("ordermesh sniff: " + url + " answered " + response.statusCode());
      return 2;
    }
    System.err.println("attached to " + url + " (Ctrl-C to stop)");
    response.body().filter(line -> line.startsWith("data: "))
        .map(line -> new JsonObject(line.substring("data: ".length())))
        .forEach(this::print);
    return 0;
  }

  private synchronized void print(JsonObject m) {
    if (json) {
      out.println(m.encode());
      return;
    }
    Object latency = m.getValue("latencyMs");
    out.printf("%s %-14s %-7s %-28s %-38s %8s %s%n", TIME.format(Instant.parse(m.getString("time"))),
        m.getString("node"), m.getString("kind") + (m.getBoolean("failed", false) ? "!" : ""),
        m.getString("address"), m.getString("correlationId", "-"),
        latency == null ? "" : String.format("%.1fms", ((Number) latency).doubleValue()), m.getString("preview", ""));
    out.flush();
  }

  private void followKafka() {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "group.id", "ordermesh-sniff-" + UUID.randomUUID(), "auto.offset.reset", "latest",
        "enable.auto.commit", "false"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.ORDERS, Topics.INVENTORY, Topics.CUSTOMERS));
      while (true) {
        consumer.poll(KAFKA_POLL).forEach(r -> {
          String corr = header(r, EventHeaders.CORRELATION_ID);
          if (correlation == null || correlation.equals(corr)) {
            print(new JsonObject().put("time", Instant.ofEpochMilli(r.timestamp()).toString()).put("node", "kafka")
                .put("kind", "record").put("address", r.topic() + "/" + r.partition() + "@" + r.offset())
                .put("correlationId", corr).put("preview", header(r, EventHeaders.TYPE) + " " + r.key()));
          }
        });
      }
    }
  }

  private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private String query() {
    StringBuilder q = new StringBuilder();
    if (address != null) {
      q.append(q.isEmpty() ? "?" : "&").append("address=").append(URLEncoder.encode(address, StandardCharsets.UTF_8));
    }
    if (correlation != null) {
      q.append(q.isEmpty() ? "?" : "&").append("correlation=").append(URLEncoder.encode(correlation, StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private String adminToken() {
    return JwtTokens.issueOffline(new AuthConfig(homeOption.jwtSecret(jwtSecret), Duration.ofHours(12)),
        "ordermesh-sniff", List.of("admin"));
  }
}
