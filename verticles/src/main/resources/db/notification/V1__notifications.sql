-- The notification service's own schema: one notification per order outcome.
CREATE TABLE notifications (
    order_id       UUID        NOT NULL,
    outcome        TEXT        NOT NULL CHECK (outcome IN ('CONFIRMED', 'CANCELLED')),
    customer_id    TEXT        NOT NULL,
    payload        TEXT        NOT NULL,
    correlation_id TEXT        NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('PENDING', 'SENT', 'PARKED')),
    attempts       INT         NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at        TIMESTAMPTZ,
    PRIMARY KEY (order_id, outcome)
);
