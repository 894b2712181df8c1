package io.ordermesh.launcher;

import io.ordermesh.platform.kafka.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the system's topics on a Kafka cluster if they are missing (we never rely on auto-creation). */
public final class KafkaTopics {

  private static final long TIMEOUT_SECONDS = 30;
  private static final short REPLICATION = 1;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private KafkaTopics() {
  }

  /** Blocking: call it from the launcher's main thread, never from an event loop. */
  public static void ensure(String bootstrapServers, Collection<String> topics, int partitions) {
    Map<String, Object> settings = new HashMap<>(KafkaClients.NO_JMX);
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Admin admin = Admin.create(settings);
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      var missing = topics.stream().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, partitions, REPLICATION)).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
        throw new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer in " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } finally {
      // Not the default close, which waits out a call still pending against an unreachable cluster.
      admin.close(CLOSE_TIMEOUT);
    }
  }
}
