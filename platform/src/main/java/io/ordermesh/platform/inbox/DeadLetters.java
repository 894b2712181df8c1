package io.ordermesh.platform.inbox;

import io.ordermesh.events.EventHeaders;
import io.micrometer.core.instrument.Counter;
import io.ordermesh.events.Topics;
import io.ordermesh.platform.logging.LogContext;
import io.ordermesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parks a record that cannot be processed on its topic's {@code .dlq} twin, with the reason in headers. */
public final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  /**
   * The error text kept with a parked record. A validator reports one error per offending property, so
   * its text grows with the input: unbounded, a record could carry more error than Kafka takes, its
   * park would fail, and its partition would wait for it for ever.
   */
  static final int MAX_ERROR_CHARS = 4_096;

  private final KafkaProducer<String, String> producer;

  public DeadLetters(KafkaProducer<String, String> producer) {
    this.producer = producer;
  }

  public Future<RecordMetadata> park(KafkaConsumerRecord<String, String> source, String consumer, String reason,
      String error) {
    KafkaProducerRecord<String, String> dead =
        KafkaProducerRecord.create(Topics.dlqOf(source.topic()), source.key(), source.value());
    source.headers().forEach(h -> dead.addHeader(h.key(), h.value()));
    dead.addHeader(EventHeaders.DLQ_REASON, reason)
        .addHeader(EventHeaders.DLQ_ERROR, bounded(error))
        .addHeader(EventHeaders.DLQ_CONSUMER, consumer)
        .addHeader(EventHeaders.DLQ_SOURCE_TOPIC, source.topic())
        .addHeader(EventHeaders.DLQ_SOURCE_PARTITION, Integer.toString(source.partition()))
        .addHeader(EventHeaders.DLQ_SOURCE_OFFSET, Long.toString(source.offset()));
    Counter.builder("ordermesh.dlq.records").tag("consumer", consumer).tag("reason", reason)
        .description("Records parked on a DLQ").register(Metrics.registry()).increment();
    // The record's own correlation id, when its headers carry one (an unreadable record may have none).
    String correlationId = source.headers().stream().filter(h -> EventHeaders.CORRELATION_ID.equals(h.key()))
        .map(h -> h.value().toString()).reduce((first, last) -> last).orElse(null);
    LogContext log = LogContext.of(consumer, correlationId).order(source.key());
    log.warn(LOG, "{} parked {}-{}@{} on the DLQ: {} {}",
        consumer, source.topic(), source.partition(), source.offset(), reason, bounded(error));
    return producer.send(dead).recover(failure -> failure instanceof RecordTooLargeException
        ? parkWithoutValue(dead, source, log, failure)
        : Future.failedFuture(failure));
  }

  /**
   * A record that filled its topic's size limit is too large with the DLQ's headers added, and no retry
   * changes that: parked whole it would never be, and its partition would wait behind it for ever. It is
   * parked without its value, saying so and where the original is, which Kafka keeps for the topic's
   * retention; an operator copies it from there. DLQ replays skip such records.
   */
  private Future<RecordMetadata> parkWithoutValue(KafkaProducerRecord<String, String> dead,
      KafkaConsumerRecord<String, String> source, LogContext log, Throwable tooLarge) {
    KafkaProducerRecord<String, String> pointer = KafkaProducerRecord.create(dead.topic(), dead.key(), null);
    // Its own headers may be what made it too large: the pointer keeps only the DLQ's and the correlation id.
    dead.headers().stream()
        .filter(h -> h.key().startsWith("dlq.") || h.key().equals(EventHeaders.CORRELATION_ID))
        .forEach(h -> pointer.addHeader(h.key(), h.value()));
    pointer.addHeader(EventHeaders.DLQ_VALUE_OMITTED, Integer.toString(valueBytes(source)));
    log.error(LOG, "{}-{}@{} is too large to park with its headers ({}); parked without its value: copy it from its"
        + " source before the topic's retention ends", source.topic(), source.partition(), source.offset(), tooLarge);
    return producer.send(pointer);
  }

  private static int valueBytes(KafkaConsumerRecord<String, String> source) {
    return source.value() == null ? 0 : source.value().getBytes(StandardCharsets.UTF_8).length;
  }

  static String bounded(String error) {
    if (error == null) {
      return "";
    }
    return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + "… (cut)";
  }
}
