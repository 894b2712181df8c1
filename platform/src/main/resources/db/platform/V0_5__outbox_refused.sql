-- Outbox rows Kafka refused for good (a record over the broker's size limit, an invalid topic): moved
-- here with the reason, so one such row no longer holds back its schema's outbox; an operator can
-- move a row back (see docs/operations.md) once the cause is fixed.
CREATE TABLE outbox_refused (
    id             BIGINT      PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    topic          TEXT        NOT NULL,
    record_key     TEXT        NOT NULL,
    event_type     TEXT        NOT NULL,
    event_version  INT         NOT NULL,
    correlation_id TEXT        NOT NULL,
    payload        TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    traceparent    TEXT,
    refused_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason         TEXT        NOT NULL
);
