-- Fails: no such table. The migration before it must not stay applied on its own.
INSERT INTO no_such_table VALUES (1);
