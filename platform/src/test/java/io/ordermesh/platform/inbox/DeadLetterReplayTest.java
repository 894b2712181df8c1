package io.ordermesh.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordermesh.events.EventType;
import io.ordermesh.events.Topics;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.bus.ServiceException;
import io.ordermesh.platform.config.OrdermeshConfig.KafkaConfig;
import io.ordermesh.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DLQ replays on real Kafka: one replay of a topic at a time, a second one refused while it runs. */
class DeadLetterReplayTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private final String topic = EventType.ORDER_CANCELLED.topic();
  private Vertx vertx;
  private KafkaProducer<String, String> producer;
  private DeadLetterReplay replay;

  @BeforeEach
  void connect() {
    String bootstrap = PlatformTestInfra.kafka().bootstrapServers();
    PlatformTestInfra.kafka().createTopics(List.of(topic, Topics.dlqOf(topic)), 2);
    vertx = Vertx.vertx();
    KafkaConfig kafka = new KafkaConfig(bootstrap, 1, 2);
    producer = KafkaProducer.create(vertx, KafkaClients.producer(kafka, "dlq-replay-test"));
    replay = new DeadLetterReplay(vertx, kafka, producer, topic);
  }

  @AfterEach
  void close() {
    join(producer.close().eventually(vertx::close));
  }

  @Test
  void refusesASecondReplayOfTheTopicWhileOneRunsAndAllowsOneAfterIt() {
    // Even with nothing parked, a replay polls for a few seconds before it is sure the DLQ is drained.
    Future<JsonObject> first = replay.replay(10);
    Future<JsonObject> second = replay.replay(10);

    Throwable refused = join(second.transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(refused).isInstanceOf(ServiceException.class);
    assertThat(((ServiceException) refused).failure()).isEqualTo(Failure.CONFLICT);
    assertThat(join(first).getString("topic")).isEqualTo(topic);
    assertThat(join(replay.replay(10)).getString("topic")).as("the lock is released when a replay ends").isEqualTo(topic);
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
