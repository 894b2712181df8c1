-- The order service's own schema: orders, their lines and status history.
CREATE TABLE orders (
    id               UUID        PRIMARY KEY,
    customer_id      TEXT        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
    reason           TEXT,
    total            NUMERIC(14, 2),
    stock_reserved   BOOLEAN     NOT NULL DEFAULT false,
    credit_reserved  BOOLEAN     NOT NULL DEFAULT false,
    idempotency_key  TEXT        NOT NULL,
    request_hash     TEXT        NOT NULL,
    correlation_id   TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    deadline_at      TIMESTAMPTZ NOT NULL,
    -- One order per (customer, Idempotency-Key), whichever gateway node or instance got the request.
    UNIQUE (customer_id, idempotency_key)
);

CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC);
CREATE INDEX orders_pending_by_deadline ON orders (deadline_at) WHERE status = 'PENDING';

CREATE TABLE order_lines (
    order_id   UUID           NOT NULL REFERENCES orders (id),
    line_no    INT            NOT NULL,
    sku        TEXT           NOT NULL,
    quantity   INT            NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price NUMERIC(12, 2),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_history (
    order_id UUID        NOT NULL REFERENCES orders (id),
    status   TEXT        NOT NULL,
    reason   TEXT,
    at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX order_history_by_order ON order_history (order_id, at);
