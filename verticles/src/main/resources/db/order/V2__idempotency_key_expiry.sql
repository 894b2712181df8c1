-- Idempotency keys expire: after the configured time the key is forgotten (set to NULL, which the
-- unique constraint ignores) and the same key would place a new order, as clients are told.
ALTER TABLE orders ALTER COLUMN idempotency_key DROP NOT NULL;
CREATE INDEX orders_with_live_keys ON orders (created_at) WHERE idempotency_key IS NOT NULL;
