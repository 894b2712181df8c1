-- A test service's effect: how many times each order's event was applied.
CREATE TABLE applied (
    order_id UUID PRIMARY KEY,
    times    INT NOT NULL
);
