package io.ordermesh.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.ordermesh.infra.kafka.EmbeddedKafka.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  private static final String TOPIC = "orders";
  private static final String GROUP = "order-projector";
  private static final int PARTITIONS = 2;
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(15);

  @TempDir
  Path dataDir;

  @Test
  void recordsAndCommittedOffsetsSurviveRestartsOnTheSameDir() throws Exception {
    int port;
    int controllerPort;
    String clusterId;
    TopicPartition partition;
    EmbeddedKafka kafka = EmbeddedKafka.start(KafkaSettings.withFreePorts(dataDir));
    try {
      port = kafka.port();
      controllerPort = kafka.controllerPort();
      clusterId = kafka.clusterId();
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
          .as("every event is in there: the owner's alone").isEqualTo("rwx------");

      kafka.createTopics(List.of(TOPIC), PARTITIONS);
      kafka.createTopics(List.of(TOPIC, "payments"), PARTITIONS);
      assertThat(topics(kafka)).contains(TOPIC, "payments");

      RecordMetadata sent = produce(kafka, "order-1", "created");
      partition = new TopicPartition(TOPIC, sent.partition());
      assertThat(consumeAndCommit(kafka, 1)).extracting(ConsumerRecord::value).containsExactly("created");
    } finally {
      kafka.close();
    }
    kafka.close();
    assertThatThrownBy(() -> kafka.createTopics(List.of(TOPIC), 1)).isInstanceOf(IllegalStateException.class);

    try (EmbeddedKafka restarted = EmbeddedKafka.start(new KafkaSettings(dataDir, port, controllerPort))) {
      assertThat(restarted.clusterId()).isEqualTo(clusterId);
      restarted.createTopics(List.of(TOPIC), PARTITIONS);

      assertThat(committedOffset(restarted, partition)).isEqualTo(1);
      assertThat(readFromStart(restarted, partition)).extracting(ConsumerRecord::value)
          .containsExactly("created");

      produce(restarted, "order-1", "paid");
      assertThat(consumeAndCommit(restarted, 1)).extracting(ConsumerRecord::value).containsExactly("paid");
    }

    // Other ports on the same directory work too (the single voter's address is not persisted in KRaft v0).
    try (EmbeddedKafka movedPorts = EmbeddedKafka.start(KafkaSettings.withFreePorts(dataDir))) {
      assertThat(committedOffset(movedPorts, partition)).isEqualTo(2);
    }
  }

  @Test
  void aFailedStartThrowsAndReleasesTheDirectory() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      KafkaSettings clash = new KafkaSettings(dataDir, taken.getLocalPort(), 0);

      assertThatThrownBy(() -> EmbeddedKafka.start(clash)).hasRootCauseInstanceOf(BindException.class);
    }
    // The directory is formatted and unlocked: a retry on it works.
    try (EmbeddedKafka kafka = EmbeddedKafka.start(KafkaSettings.withFreePorts(dataDir))) {
      kafka.createTopics(List.of(TOPIC), 1);
    }
  }

  @Test
  void aSecondBrokerCannotTakeADataDirInUse() {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(KafkaSettings.withFreePorts(dataDir))) {
      assertThatThrownBy(() -> EmbeddedKafka.start(KafkaSettings.withFreePorts(dataDir)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already used");

      kafka.createTopics(List.of(TOPIC), 1);
    }
  }

  @Test
  void exitGuardTurnsKafkaHaltsIntoExceptionsWhileABrokerRuns() {
    KafkaExitGuard.acquire();
    try {
      assertThatThrownBy(() -> Exit.halt(1, "disk on fire")).hasMessageContaining("halt(1): disk on fire");
      assertThatThrownBy(() -> Exit.exit(1)).hasMessageContaining("exit(1)");
    } finally {
      KafkaExitGuard.release();
    }
  }

  @Test
  void aRelayedListenerAdvertisesItsHostToClientsThatComeThroughIt() throws Exception {
    // "localhost" stands for the relay's host: it reaches the loopback listener without a relay.
    try (EmbeddedKafka kafka = EmbeddedKafka.start(KafkaSettings.withFreePorts(dataDir).withRelayedListener("localhost"))) {
      int relayedPort = kafka.relayedPort().orElseThrow();
      assertThat(kafka.relayedBootstrapServers()).contains("localhost:" + relayedPort);

      assertThat(brokerSeenThrough(kafka.relayedBootstrapServers().orElseThrow()))
          .isEqualTo("localhost:" + relayedPort);
      assertThat(brokerSeenThrough(kafka.bootstrapServers())).isEqualTo(kafka.bootstrapServers());
    }
  }

  @Test
  void rejectsInvalidSettings() {
    assertThatThrownBy(() -> new KafkaSettings(dataDir, 9092, 9092)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KafkaSettings(dataDir, -1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The broker's address as metadata tells a client that bootstrapped through {@code bootstrap}. */
  private static String brokerSeenThrough(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      var node = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).iterator().next();
      return node.host() + ":" + node.port();
    }
  }

  private static Set<String> topics(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      return admin.listTopics().names().get(10, TimeUnit.SECONDS);
    }
  }

  private static RecordMetadata produce(EmbeddedKafka kafka, String key, String value) throws Exception {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      return producer.send(new ProducerRecord<>(TOPIC, key, value)).get(10, TimeUnit.SECONDS);
    }
  }

  /** Polls the group until {@code expected} records arrived, then commits them synchronously. */
  private static List<ConsumerRecord<String, String>> consumeAndCommit(EmbeddedKafka kafka, int expected) {
    try (KafkaConsumer<String, String> consumer = consumer(kafka, GROUP)) {
      consumer.subscribe(List.of(TOPIC));
      List<ConsumerRecord<String, String>> records = pollUntil(consumer, expected);
      consumer.commitSync();
      return records;
    }
  }

  /** Reads the partition from the start without a group, so without a slow group join. */
  private static List<ConsumerRecord<String, String>> readFromStart(EmbeddedKafka kafka, TopicPartition partition) {
    try (KafkaConsumer<String, String> consumer = consumer(kafka, null)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      return pollUntil(consumer, 1);
    }
  }

  private static long committedOffset(EmbeddedKafka kafka, TopicPartition partition) {
    try (KafkaConsumer<String, String> consumer = consumer(kafka, GROUP)) {
      OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
      assertThat(committed).as("committed offset of %s", partition).isNotNull();
      return committed.offset();
    }
  }

  private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + POLL_TIMEOUT.toNanos();
    while (records.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka, String groupOrNull) {
    Map<String, Object> config = new HashMap<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    if (groupOrNull != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, groupOrNull);
    }
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
