-- The inventory service's own schema: products with stock buckets, and per-order reservations.
-- Invariant per sku: initial_stock = available + reserved + sold.
CREATE TABLE products (
    sku           TEXT           PRIMARY KEY,
    name          TEXT           NOT NULL,
    price         NUMERIC(12, 2) NOT NULL CHECK (price >= 0),
    initial_stock INT            NOT NULL CHECK (initial_stock >= 0),
    available     INT            NOT NULL CHECK (available >= 0),
    reserved      INT            NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    sold          INT            NOT NULL DEFAULT 0 CHECK (sold >= 0)
);

CREATE TABLE reservations (
    order_id   UUID           NOT NULL,
    sku        TEXT           NOT NULL REFERENCES products (sku),
    quantity   INT            NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC(12, 2) NOT NULL,
    state      TEXT           NOT NULL CHECK (state IN ('RESERVED', 'SOLD', 'RELEASED')),
    updated_at TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, sku)
);
