-- A notification the provider keeps refusing is given up after a bounded number of rounds (FAILED,
-- with its last error) instead of being tried again every park interval for ever.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications
    ADD CONSTRAINT notifications_status_check CHECK (status IN ('PENDING', 'SENT', 'PARKED', 'FAILED'));
