-- Delivery to the provider: when the next attempt is due (a lease while one runs, a later time once
-- parked) and why the last one failed.
ALTER TABLE notifications
    ADD COLUMN next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN last_error      TEXT;

CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status IN ('PENDING', 'PARKED');
