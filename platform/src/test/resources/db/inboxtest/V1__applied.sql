-- What the test handler does: one row per applied event, so effects can be counted.
CREATE TABLE applied (
  event_id UUID PRIMARY KEY,
  order_id TEXT NOT NULL
);
