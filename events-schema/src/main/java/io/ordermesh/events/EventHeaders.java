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

  private EventHeaders() {
  }
}
