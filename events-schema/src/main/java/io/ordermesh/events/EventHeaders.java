package io.ordermesh.events;

/** Kafka record header names. */
public final class EventHeaders {

  public static final String TYPE = "type";
  public static final String VERSION = "version";
  public static final String CORRELATION_ID = "correlationId";
  public static final String TRACEPARENT = "traceparent";

  /** On DLQ records: why the record was rejected, and where it came from. */
  public static final String DLQ_REASON = "dlq.reason";
  public static final String DLQ_ERROR = "dlq.error";
  public static final String DLQ_CONSUMER = "dlq.consumer";
  public static final String DLQ_SOURCE_TOPIC = "dlq.sourceTopic";
  public static final String DLQ_SOURCE_PARTITION = "dlq.sourcePartition";
  public static final String DLQ_SOURCE_OFFSET = "dlq.sourceOffset";
  /**
   * On a DLQ record whose value Kafka would not take with the DLQ's headers added: the value is left out,
   * and the record names where the original still is (its source topic, partition and offset).
   */
  public static final String DLQ_VALUE_OMITTED = "dlq.valueOmitted";

  private EventHeaders() {
  }
}
