-- The relay is woken over the event bus after commit (see Outbox.java). NOTIFY made every committing
-- transaction that appended an event queue for one database-wide lock held through its WAL flush.
DROP TRIGGER outbox_inserted ON outbox;
DROP FUNCTION outbox_notify();
