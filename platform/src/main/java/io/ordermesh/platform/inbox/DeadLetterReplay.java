package io.ordermesh.platform.inbox;

import io.ordermesh.events.EventHeaders;
import io.ordermesh.events.Topics;
import io.ordermesh.platform.bus.Failure;
import io.ordermesh.platform.config.OrdermeshConfig.KafkaConfig;
import io.ordermesh.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-publishes what was parked on a topic's DLQ back onto the topic, once: a replay group remembers
 * how far it got. Consumers see the records again; whatever is still poison is parked again, with its
 * reason, and the rest is applied (the inbox drops what had been applied already).
 */
public final class DeadLetterReplay {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);
  private static final String ADDRESS_PREFIX = "ordermesh.dlq.replay.";
  private static final String LOCK_PREFIX = "ordermesh.dlq.replay.lock.";
  private static final Duration LOCK_WAIT = Duration.ofMillis(100);
  private static final String DLQ_HEADER_PREFIX = "dlq.";
  private static final String REPLAYED_HEADER = "replayedFromDlqOffset";
  private static final Duration POLL = Duration.ofMillis(300);
  /** A fresh group needs a moment to be assigned its partitions before a poll returns anything. */
  private static final int EMPTY_POLLS_BEFORE_DONE = 10;

  private final Vertx vertx;
  private final KafkaConfig kafka;
  private final KafkaProducer<String, String> producer;
  private final String topic;

  public DeadLetterReplay(Vertx vertx, KafkaConfig kafka, KafkaProducer<String, String> producer, String topic) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.producer = producer;
    this.topic = topic;
  }

  /** The event-bus address on which the owner of {@code topic} replays its DLQ. */
  public static String address(String topic) {
    return ADDRESS_PREFIX + topic;
  }

  /**
   * Replays at most {@code max} parked records; answers {@code {"topic","replayed"}}. One replay of a
   * topic at a time, cluster-wide: two would share the replay group, both read from its last commit and
   * both republish; a second request while one runs (an operator retrying after the gateway gave up on
   * the first) is refused with CONFLICT.
   */
  public Future<JsonObject> replay(int max) {
    return vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + topic, LOCK_WAIT.toMillis())
        .recover(error -> Future.failedFuture(isTimeout(error)
            ? Failure.CONFLICT.exception("a replay of " + Topics.dlqOf(topic) + " is already running")
            : error))
        // compose on a completed future: a replay that throws before it returns one still releases the lock
        .compose(lock -> Future.<Void>succeededFuture().compose(v -> replayAlone(max)).eventually(() -> {
          lock.release();
          return Future.succeededFuture();
        }));
  }

  /** Both the local and the Hazelcast lock fail a wait that ran out with this message. */
  private static boolean isTimeout(Throwable error) {
    return error.getMessage() != null && error.getMessage().startsWith("Timed out waiting to get lock");
  }

  private Future<JsonObject> replayAlone(int max) {
    String group = "ordermesh-dlq-replay-" + topic;
    KafkaConsumer<String, String> consumer = KafkaConsumer.create(vertx,
        KafkaClients.consumer(kafka, group, group + "-" + System.nanoTime()));
    List<KafkaConsumerRecord<String, String>> parked = new ArrayList<>();
    return consumer.subscribe(Topics.dlqOf(topic))
        .compose(v -> collect(consumer, parked, max, 0))
        .compose(v -> republish(parked))
        .compose(sent -> commit(consumer, parked, sent).compose(v -> sent.failure()))
        .eventually(consumer::close)
        .onSuccess(v -> LOG.info("replayed {} records from {}", parked.size(), Topics.dlqOf(topic)))
        .onFailure(error -> LOG.warn("replay of {} failed after reading {} records (those sent before the first"
            + " failure are done; the rest stays parked): {}", Topics.dlqOf(topic), parked.size(), error.toString()))
        .map(v -> new JsonObject().put("topic", topic).put("parked", parked.size())
            .put("replayed", parked.stream().filter(r -> !valueOmitted(r)).map(DeadLetterReplay::sourceOf).distinct()
                .count())
            .put("skipped", skipped(parked)));
  }

  private Future<Void> collect(KafkaConsumer<String, String> consumer, List<KafkaConsumerRecord<String, String>> parked,
      int max, int emptyPolls) {
    if (parked.size() >= max || emptyPolls >= EMPTY_POLLS_BEFORE_DONE) {
      return Future.succeededFuture();
    }
    return consumer.poll(POLL).compose(records -> {
      add(records, parked, max);
      boolean empty = records.isEmpty();
      // Once records flowed, one empty poll means the DLQ is drained.
      int nextEmpty = empty ? (parked.isEmpty() ? emptyPolls + 1 : EMPTY_POLLS_BEFORE_DONE) : 0;
      return collect(consumer, parked, max, nextEmpty);
    });
  }

  private static void add(KafkaConsumerRecords<String, String> records, List<KafkaConsumerRecord<String, String>> into,
      int max) {
    for (int i = 0; i < records.size() && into.size() < max; i++) {
      into.add(records.recordAt(i));
    }
  }

  /**
   * Every consumer group that failed on a record parked its own copy; the topic gets the record back
   * once, and each group then processes it (or parks it) again by itself. Waits for every send.
   */
  private Future<Sent> republish(List<KafkaConsumerRecord<String, String>> parked) {
    Map<String, Future<?>> sends = new LinkedHashMap<>();
    parked.forEach(r -> sends.computeIfAbsent(sourceOf(r), source -> again(r)));
    return Future.join(List.copyOf(sends.values())).transform(done -> Future.succeededFuture(new Sent(sends)));
  }

  /** The sends of one replay, by source record. */
  private record Sent(Map<String, Future<?>> sends) {

    boolean reached(KafkaConsumerRecord<String, String> parked) {
      return sends.get(sourceOf(parked)).succeeded();
    }

    /** Fails with the first send's failure, if one failed: the operator hears of it and replays again. */
    Future<Void> failure() {
      return sends.values().stream().filter(Future::failed).findFirst()
          .<Future<Void>>map(failed -> Future.failedFuture(failed.cause()))
          .orElse(Future.succeededFuture());
    }
  }

  private static String sourceOf(KafkaConsumerRecord<String, String> dead) {
    String partition = header(dead, EventHeaders.DLQ_SOURCE_PARTITION);
    String offset = header(dead, EventHeaders.DLQ_SOURCE_OFFSET);
    return partition == null || offset == null ? "dlq@" + dead.partition() + ":" + dead.offset() : partition + ":" + offset;
  }

  private static String header(KafkaConsumerRecord<String, String> record, String name) {
    return record.headers().stream().filter(h -> h.key().equals(name)).reduce((a, b) -> b)
        .map(h -> h.value().toString()).orElse(null);
  }

  private static boolean valueOmitted(KafkaConsumerRecord<String, String> dead) {
    return header(dead, EventHeaders.DLQ_VALUE_OMITTED) != null;
  }

  /**
   * Records parked without their value: not sent back (there is nothing to send), and not left on the
   * DLQ either, where every replay would meet them again; the answer names where each original is, for
   * the operator to copy by hand before its topic's retention ends.
   */
  private io.vertx.core.json.JsonArray skipped(List<KafkaConsumerRecord<String, String>> parked) {
    io.vertx.core.json.JsonArray skipped = new io.vertx.core.json.JsonArray();
    parked.stream().filter(DeadLetterReplay::valueOmitted).forEach(r -> skipped.add(new JsonObject()
        .put("dlqPartition", r.partition()).put("dlqOffset", r.offset())
        .put("sourceTopic", topic).put("sourcePartition", header(r, EventHeaders.DLQ_SOURCE_PARTITION))
        .put("sourceOffset", header(r, EventHeaders.DLQ_SOURCE_OFFSET))
        .put("bytes", header(r, EventHeaders.DLQ_VALUE_OMITTED))));
    return skipped;
  }

  private Future<?> again(KafkaConsumerRecord<String, String> dead) {
    if (valueOmitted(dead)) {
      // Parked without its value (DeadLetters): there is nothing to send back but an empty record.
      LOG.warn("{}@{} on {} was parked without its value ({} bytes); copy it from {} {}@{} by hand", dead.partition(),
          dead.offset(), Topics.dlqOf(topic), header(dead, EventHeaders.DLQ_VALUE_OMITTED), topic,
          header(dead, EventHeaders.DLQ_SOURCE_PARTITION), header(dead, EventHeaders.DLQ_SOURCE_OFFSET));
      return Future.succeededFuture();
    }
    KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(topic, dead.key(), dead.value());
    dead.headers().stream().filter(h -> !h.key().startsWith(DLQ_HEADER_PREFIX))
        .forEach(h -> record.addHeader(h.key(), h.value()));
    record.addHeader(REPLAYED_HEADER, Long.toString(dead.offset()));
    return producer.send(record);
  }

  /**
   * Commits, per DLQ partition, up to the first record whose send failed: what is behind it stays on the
   * DLQ for the next replay, and what was sent is not sent again (it would be harmless: the inboxes drop
   * copies, but a replay that keeps failing would republish its whole prefix every time).
   */
  private static Future<Void> commit(KafkaConsumer<String, String> consumer,
      List<KafkaConsumerRecord<String, String>> parked, Sent sent) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Set<Integer> stopped = new HashSet<>();
    for (KafkaConsumerRecord<String, String> r : parked) {
      if (stopped.contains(r.partition()) || !sent.reached(r)) {
        stopped.add(r.partition());
        continue;
      }
      // The highest: a rebalance while collecting may have handed a partition's records over twice.
      offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1, null),
          (a, b) -> a.getOffset() >= b.getOffset() ? a : b);
    }
    return offsets.isEmpty() ? Future.succeededFuture() : consumer.commit(offsets).mapEmpty();
  }
}
