-- The user service's own schema: customers with credit buckets, and per-order credit reservations.
-- Invariant per customer: credit_limit = credit_available + credit_reserved + credit_spent.
CREATE TABLE customers (
    id               TEXT           PRIMARY KEY,
    name             TEXT           NOT NULL,
    email            TEXT           NOT NULL,
    credit_limit     NUMERIC(14, 2) NOT NULL CHECK (credit_limit >= 0),
    credit_available NUMERIC(14, 2) NOT NULL CHECK (credit_available >= 0),
    credit_reserved  NUMERIC(14, 2) NOT NULL DEFAULT 0 CHECK (credit_reserved >= 0),
    credit_spent     NUMERIC(14, 2) NOT NULL DEFAULT 0 CHECK (credit_spent >= 0)
);

-- One row per order the user service heard of. VOID marks an order cancelled before its credit
-- was reserved, so a late StockReserved does not reserve credit for a dead order.
CREATE TABLE credit_reservations (
    order_id    UUID           PRIMARY KEY,
    customer_id TEXT           NOT NULL,
    amount      NUMERIC(14, 2) NOT NULL CHECK (amount >= 0),
    state       TEXT           NOT NULL CHECK (state IN ('RESERVED', 'CAPTURED', 'RELEASED', 'VOID')),
    updated_at  TIMESTAMPTZ    NOT NULL DEFAULT now()
);
