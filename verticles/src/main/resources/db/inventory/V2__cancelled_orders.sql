-- Orders inventory has seen cancelled. A placement that arrives after its own cancellation (possible
-- when a record is replayed or re-published out of order) must not reserve stock for a dead order.
CREATE TABLE cancelled_orders (
    order_id     UUID        PRIMARY KEY,
    cancelled_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
