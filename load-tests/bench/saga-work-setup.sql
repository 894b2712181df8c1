-- The pgbench baseline's tables: a copy of each service schema's tables (columns, defaults, checks,
-- indexes, keys, foreign keys, the outbox NOTIFY trigger) in schemas of their own, bench_orders,
-- bench_inventory, bench_users and bench_notifications, so that saga-work.sql does the saga's SQL on
-- tables shaped exactly like the real ones without touching the system's data. Copied from the live
-- schemas at run time, so a migration added later is benchmarked too.
--   psql -v ON_ERROR_STOP=1 -v customers=1000 -v stock=10000000 -f saga-work-setup.sql "$PG_URI"
\set ON_ERROR_STOP on

CREATE OR REPLACE FUNCTION pg_temp.clone_schema(source text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  target text := 'bench_' || source;
  t record;
BEGIN
  EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', target);
  EXECUTE format('CREATE SCHEMA %I', target);
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = source AND tablename <> 'flyway_schema_history' LOOP
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING ALL)', target, t.tablename, source, t.tablename);
  END LOOP;
  -- LIKE copies a serial column's default, which would draw from the real table's sequence: give each its own.
  FOR t IN SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = target AND column_default LIKE 'nextval(%' LOOP
    EXECUTE format('CREATE SEQUENCE %I.%I', target, t.table_name || '_' || t.column_name || '_seq');
    EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I SET DEFAULT nextval(%L)', target, t.table_name, t.column_name,
                   target || '.' || t.table_name || '_' || t.column_name || '_seq');
  END LOOP;
  -- LIKE copies neither foreign keys nor triggers; both cost time in the real schema, so copy them.
  FOR t IN SELECT c.relname AS tablename, k.conname, pg_get_constraintdef(k.oid) AS def
           FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
           WHERE k.contype = 'f' AND k.connamespace = source::regnamespace LOOP
    EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I ', target, t.tablename, t.conname)
      || regexp_replace(t.def, 'REFERENCES ([a-z_]+\.)?', 'REFERENCES ' || quote_ident(target) || '.');
  END LOOP;
  FOR t IN SELECT pg_get_triggerdef(g.oid) AS def FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
           WHERE NOT g.tgisinternal AND c.relnamespace = source::regnamespace LOOP
    -- The outbox's NOTIFY trigger; it keeps calling the service's own function.
    EXECUTE regexp_replace(t.def, ' ON (' || quote_ident(source) || '\.)?', ' ON ' || quote_ident(target) || '.');
  END LOOP;
END
$$;

SELECT pg_temp.clone_schema('orders');
SELECT pg_temp.clone_schema('inventory');
SELECT pg_temp.clone_schema('users');
SELECT pg_temp.clone_schema('notifications');

-- The load world of `run --seed-customers N --seed-stock M`: customers load-1..load-N with 1000000.00
-- credit, and the three products with their prices and plenty of stock.
INSERT INTO bench_inventory.products (sku, name, price, initial_stock, available)
SELECT sku, name, price, :stock, :stock FROM inventory.products WHERE sku IN ('SKU-1', 'SKU-2', 'SKU-3');
INSERT INTO bench_users.customers (id, name, email, credit_limit, credit_available)
SELECT 'load-' || i, 'Load ' || i, 'load-' || i || '@example.com', 1000000.00, 1000000.00
FROM generate_series(1, :customers) AS i;

ANALYZE bench_orders.orders, bench_inventory.products, bench_users.customers;

SELECT (SELECT count(*) FROM bench_inventory.products) AS products,
       (SELECT count(*) FROM bench_users.customers) AS customers;
