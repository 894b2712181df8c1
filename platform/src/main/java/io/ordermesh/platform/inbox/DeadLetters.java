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
    LogContext.of(consumer, correlationId).order(source.key()).warn(LOG, "{} parked {}-{}@{} on the DLQ: {} {}",
        consumer, source.topic(), source.partition(), source.offset(), reason, bounded(error));
    return producer.send(dead);
  }

  static String bounded(String error) {
    if (error == null) {
      return "";
    }
    return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + "… (cut)";
  }
}
