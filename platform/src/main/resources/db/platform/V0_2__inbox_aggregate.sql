-- The order (aggregate) each consumed event was about, for an order's timeline across services.
ALTER TABLE inbox ADD COLUMN aggregate_id TEXT;
CREATE INDEX inbox_by_aggregate ON inbox (aggregate_id) WHERE aggregate_id IS NOT NULL;
