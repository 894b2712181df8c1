-- The W3C trace context of the request or event that produced the row; published as a Kafka header.
ALTER TABLE outbox ADD COLUMN traceparent TEXT;
