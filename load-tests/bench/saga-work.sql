-- The database ceiling of the saga: the SQL that one confirmed saga makes PostgreSQL do, statement
-- for statement and transaction for transaction, as a pgbench script. One run of the script is one
-- saga, so pgbench's "tps" here is saga-equivalents per second; transactions per second are that times
-- the transactions-per-saga below (pgbench counts a script run as one "transaction").
--
-- transactions-per-saga: 18
--
-- Every statement names, in a "-- sql:" line, the constant of the repository it mirrors;
-- SagaWorkScriptTest fails when that SQL changes and this script does not. Values the services pass as
-- parameters appear here as pgbench variables or literals. The tables are the copies that
-- saga-work-setup.sql makes (bench_* schemas), so the system's own data stays as it is.
--
-- What it includes, per saga (a single-line order, the happy path):
--   placement: the order + line + history + OrderPlaced outbox row (one statement); the order service's
--     users.get check of the customer is answered from the user service's memory (CustomerViews: a
--     customer known to exist stays known), so it is not here;
--   each of the 4 outbox events (OrderPlaced, StockReserved, CreditReserved, OrderConfirmed): the relay's
--     batch read and its delete, one per event (the real relay batches when events queue up, so under
--     load it does less of this than here);
--   each of the 7 consumed events (inventory: OrderPlaced, OrderConfirmed; order: StockReserved,
--     CreditReserved; user: StockReserved, OrderConfirmed; notification: OrderConfirmed): one transaction
--     with its inbox row and its effect, as IdempotentConsumer runs them;
--   the notification dispatcher's claim and its mark-sent (each done once per round of up to 32; amortised
--     here as a round of one).
-- What it leaves out: Kafka, the event bus, HTTP, and the periodic chores (deadline sweep, purges,
-- backlog gauges), which do not grow with the saga rate.
--
--   pgbench -n -M prepared -f saga-work.sql -D customers=1000 -c 16 -j 2 -T 60 "$PG_URI"

\set c random(1, :customers)
\set s random(1, 3)
\set q random(1, 3)
\set deadline_seconds 30
-- setup: the saga's ids, names and event payloads (payloads of realistic size); not part of the saga's work
SELECT v.*,
       json_build_object('eventId', v.placed_event, 'type', 'OrderPlaced', 'version', 1, 'occurredAt', now(),
         'aggregateId', v.order_id, 'correlationId', v.correlation_id, 'producer', 'order',
         'data', json_build_object('orderId', v.order_id, 'customerId', v.customer_id,
           'lines', json_build_array(json_build_object('sku', v.sku, 'quantity', v.quantity))))::text AS placed_payload,
       json_build_object('eventId', v.stock_event, 'type', 'StockReserved', 'version', 1, 'occurredAt', now(),
         'aggregateId', v.order_id, 'correlationId', v.correlation_id, 'causationId', v.placed_event,
         'producer', 'inventory', 'data', json_build_object('orderId', v.order_id, 'customerId', v.customer_id,
           'lines', json_build_array(json_build_object('sku', v.sku, 'quantity', v.quantity, 'unitPrice', '24.50')),
           'total', '73.50'))::text AS stock_payload,
       json_build_object('eventId', v.credit_event, 'type', 'CreditReserved', 'version', 1, 'occurredAt', now(),
         'aggregateId', v.order_id, 'correlationId', v.correlation_id, 'causationId', v.stock_event,
         'producer', 'user', 'data', json_build_object('orderId', v.order_id, 'customerId', v.customer_id,
           'amount', '73.50'))::text AS credit_payload,
       json_build_object('eventId', v.confirmed_event, 'type', 'OrderConfirmed', 'version', 1, 'occurredAt', now(),
         'aggregateId', v.order_id, 'correlationId', v.correlation_id, 'causationId', v.credit_event,
         'producer', 'order', 'data', json_build_object('orderId', v.order_id, 'customerId', v.customer_id,
           'lines', json_build_array(json_build_object('sku', v.sku, 'quantity', v.quantity, 'unitPrice', '24.50')),
           'total', '73.50'))::text AS confirmed_payload,
       json_build_object('subject', 'Order ' || v.order_id || ' confirmed', 'total', '73.50')::text AS notification_payload,
       '{' || v.order_id || '}' AS order_ids
FROM (SELECT gen_random_uuid() AS order_id, gen_random_uuid()::text AS correlation_id,
             'load-' || :c AS customer_id, 'SKU-' || :s AS sku, '{SKU-' || :s || '}' AS skus, '{' || :q || '}' AS quantities, :q AS quantity,
             'pgbench-' || gen_random_uuid() AS idempotency_key, md5(random()::text) AS request_hash,
             '00-' || md5(random()::text) || '-' || left(md5(random()::text), 16) || '-01' AS traceparent,
             gen_random_uuid() AS placed_event, gen_random_uuid() AS stock_event,
             gen_random_uuid() AS credit_event, gen_random_uuid() AS confirmed_event) AS v
\gset

-- 1. placement: order PENDING, its line, its history and OrderPlaced in the outbox, one statement
-- sql: OrderRepository.PLACE_STEPS
WITH placed AS (
  INSERT INTO bench_orders.orders (id, customer_id, status, idempotency_key, request_hash, correlation_id, deadline_at)
  VALUES (:order_id, :customer_id, 'PENDING', :idempotency_key, :request_hash, :correlation_id, now() + make_interval(secs => :deadline_seconds))
  ON CONFLICT (customer_id, idempotency_key) DO NOTHING
  RETURNING id),
placed_lines AS (
  INSERT INTO bench_orders.order_lines (order_id, line_no, sku, quantity)
  SELECT placed.id, line.no, line.sku, line.quantity
  FROM placed, unnest(:skus::text[], :quantities::int[]) WITH ORDINALITY AS line (sku, quantity, no)),
placed_history AS (
  INSERT INTO bench_orders.order_history (order_id, status, reason) SELECT id, 'PENDING', NULL FROM placed),
appended AS (
  INSERT INTO bench_orders.outbox (event_id, topic, record_key, event_type, event_version, correlation_id, payload, traceparent)
  SELECT :placed_event::uuid, 'orders.v1'::text, :order_id::text, 'OrderPlaced'::text, 1::int, :correlation_id::text,
         :placed_payload::text, :traceparent::text
  FROM placed LIMIT 1
  RETURNING current_schema() AS schema, id)
SELECT (SELECT schema FROM appended) AS schema, (SELECT '{' || id || '}' FROM appended) AS placed_outbox
\gset

-- 2, 3. the order relay publishes OrderPlaced
-- sql: OutboxRelay.NEXT_BATCH
SELECT id, event_id, topic, record_key, event_type, event_version, correlation_id, payload, created_at, traceparent
FROM bench_orders.outbox ORDER BY id LIMIT 256;
-- sql: OutboxRelay.DELETE_SENT
DELETE FROM bench_orders.outbox WHERE id = ANY(:placed_outbox);

-- 4. inventory on OrderPlaced: reserve and price, StockReserved
BEGIN;
-- sql: IdempotentConsumer.CLAIM
INSERT INTO bench_inventory.inbox (consumer, event_id, event_type, aggregate_id) VALUES ('inventory', :placed_event, 'OrderPlaced', :order_id)
ON CONFLICT DO NOTHING;
-- sql: InventoryRepository.RESERVE_ALL
WITH wanted AS (
  SELECT sku, quantity FROM unnest(:skus::text[], :quantities::int[]) AS w (sku, quantity)),
locked AS (
  SELECT sku, available FROM bench_inventory.products WHERE sku = ANY(:skus::text[]) ORDER BY sku FOR UPDATE),
decision AS (
  SELECT NOT EXISTS (SELECT 1 FROM bench_inventory.cancelled_orders WHERE order_id = :order_id)
    AND NOT EXISTS (SELECT 1 FROM bench_inventory.reservations WHERE order_id = :order_id)
    AND (SELECT count(*) FROM locked) = cardinality(:skus::text[])
    AND NOT EXISTS (SELECT 1 FROM wanted JOIN locked USING (sku) WHERE locked.available < wanted.quantity)
    AS reserve),
moved AS (
  UPDATE bench_inventory.products SET available = products.available - wanted.quantity,
    reserved = products.reserved + wanted.quantity
  FROM wanted, decision
  WHERE products.sku = wanted.sku AND decision.reserve
  RETURNING products.sku, products.price, wanted.quantity),
recorded AS (
  INSERT INTO bench_inventory.reservations (order_id, sku, quantity, unit_price, state)
  SELECT :order_id::uuid, sku, quantity, price, 'RESERVED' FROM moved
  ON CONFLICT (order_id, sku) DO NOTHING)
SELECT sku, price FROM moved
\gset
-- sql: Outbox.INSERT
INSERT INTO bench_inventory.outbox (event_id, topic, record_key, event_type, event_version, correlation_id, payload, traceparent)
VALUES (:stock_event, 'inventory.v1', :order_id, 'StockReserved', 1, :correlation_id, :stock_payload, :traceparent)
RETURNING current_schema() AS schema, '{' || id || '}' AS stock_outbox, '{' || :price || '}' AS prices,
  '{' || :price::numeric * :q::int || '}' AS totals
\gset
COMMIT;
\set total :price * :q

-- 5, 6. the inventory relay publishes StockReserved
-- sql: OutboxRelay.NEXT_BATCH
SELECT id, event_id, topic, record_key, event_type, event_version, correlation_id, payload, created_at, traceparent
FROM bench_inventory.outbox ORDER BY id LIMIT 256;
-- sql: OutboxRelay.DELETE_SENT
DELETE FROM bench_inventory.outbox WHERE id = ANY(:stock_outbox);

-- 7. order on StockReserved: lock, price the line, mark stock reserved (one statement); not ready to confirm yet
BEGIN;
-- sql: IdempotentConsumer.CLAIM
INSERT INTO bench_orders.inbox (consumer, event_id, event_type, aggregate_id) VALUES ('order', :stock_event, 'StockReserved', :order_id)
ON CONFLICT DO NOTHING;
-- sql: OrderRepository.MARK_STOCK_RESERVED
WITH reserved AS (
  SELECT id, total::numeric AS total FROM unnest(:order_ids::uuid[], :totals::text[]) AS r (id, total)),
locked AS (
  SELECT id, customer_id, status, stock_reserved, credit_reserved, total, created_at
  FROM bench_orders.orders WHERE id = ANY(:order_ids::uuid[]) ORDER BY id FOR UPDATE),
marked AS (
  UPDATE bench_orders.orders SET stock_reserved = true, total = reserved.total, updated_at = now()
  FROM locked JOIN reserved USING (id)
  WHERE orders.id = locked.id AND locked.status = 'PENDING' AND NOT locked.stock_reserved
  RETURNING orders.id),
priced AS (
  UPDATE bench_orders.order_lines SET unit_price = price.unit_price::numeric
  FROM marked JOIN unnest(:order_ids::uuid[], :skus::text[], :prices::text[]) AS price (order_id, sku, unit_price)
    ON price.order_id = marked.id
  WHERE order_lines.order_id = marked.id AND order_lines.sku = price.sku)
SELECT * FROM locked;
COMMIT;

-- 8. user on StockReserved: reserve credit, CreditReserved
BEGIN;
-- sql: IdempotentConsumer.CLAIM
INSERT INTO bench_users.inbox (consumer, event_id, event_type, aggregate_id) VALUES ('user', :stock_event, 'StockReserved', :order_id)
ON CONFLICT DO NOTHING;
-- sql: CustomerRepository.RESERVE_STEPS
WITH customer AS (
  SELECT id, credit_available FROM bench_users.customers WHERE id = :customer_id FOR UPDATE),
held AS (
  INSERT INTO bench_users.credit_reservations (order_id, customer_id, amount, state)
  SELECT :order_id::uuid, customer.id, :total, 'RESERVED' FROM customer WHERE customer.credit_available >= :total
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id),
moved AS (
  UPDATE bench_users.customers SET credit_available = credit_available - :total, credit_reserved = credit_reserved + :total
  FROM held WHERE customers.id = :customer_id),
appended AS (
  INSERT INTO bench_users.outbox (event_id, topic, record_key, event_type, event_version, correlation_id, payload, traceparent)
  SELECT :credit_event::uuid, 'customers.v1'::text, :order_id::text, 'CreditReserved'::text, 1::int, :correlation_id::text,
         :credit_payload::text, :traceparent::text
  FROM held LIMIT 1
  RETURNING current_schema() AS schema, id)
SELECT (SELECT schema FROM appended) AS schema, (SELECT '{' || id || '}' FROM appended) AS credit_outbox,
       (SELECT credit_available FROM customer) AS credit_available
\gset
COMMIT;

-- 9, 10. the user relay publishes CreditReserved
-- sql: OutboxRelay.NEXT_BATCH
SELECT id, event_id, topic, record_key, event_type, event_version, correlation_id, payload, created_at, traceparent
FROM bench_users.outbox ORDER BY id LIMIT 256;
-- sql: OutboxRelay.DELETE_SENT
DELETE FROM bench_users.outbox WHERE id = ANY(:credit_outbox);

-- 11. order on CreditReserved: lock and mark (reading the priced lines), then CONFIRMED with its history and
-- OrderConfirmed (one statement)
BEGIN;
-- sql: IdempotentConsumer.CLAIM
INSERT INTO bench_orders.inbox (consumer, event_id, event_type, aggregate_id) VALUES ('order', :credit_event, 'CreditReserved', :order_id)
ON CONFLICT DO NOTHING;
-- sql: OrderRepository.MARK_CREDIT_RESERVED
WITH locked AS (
  SELECT id, customer_id, status, stock_reserved, credit_reserved, total, created_at
  FROM bench_orders.orders WHERE id = ANY(:order_ids::uuid[]) ORDER BY id FOR UPDATE),
marked AS (
  UPDATE bench_orders.orders SET credit_reserved = true, updated_at = now()
  FROM locked WHERE orders.id = locked.id AND locked.status = 'PENDING' AND NOT locked.credit_reserved)
SELECT locked.*, lines.skus, lines.quantities, lines.unit_prices
FROM locked LEFT JOIN LATERAL (
  SELECT array_agg(sku ORDER BY line_no) AS skus, array_agg(quantity ORDER BY line_no) AS quantities,
         array_agg(unit_price::text ORDER BY line_no) AS unit_prices
  FROM bench_orders.order_lines WHERE order_id = locked.id AND locked.stock_reserved) AS lines ON true;
-- sql: OrderRepository.CONFIRM_STEPS
WITH confirmed AS (
  UPDATE bench_orders.orders SET status = 'CONFIRMED', reason = NULL, updated_at = now()
  WHERE id = :order_id AND status = 'PENDING' RETURNING id),
confirmed_history AS (
  INSERT INTO bench_orders.order_history (order_id, status, reason) SELECT id, 'CONFIRMED', NULL FROM confirmed),
appended AS (
  INSERT INTO bench_orders.outbox (event_id, topic, record_key, event_type, event_version, correlation_id, payload, traceparent)
  SELECT :confirmed_event::uuid, 'orders.v1'::text, :order_id::text, 'OrderConfirmed'::text, 1::int, :correlation_id::text,
         :confirmed_payload::text, :traceparent::text
  FROM confirmed LIMIT 1
  RETURNING current_schema() AS schema, id)
SELECT (SELECT schema FROM appended) AS schema, (SELECT '{' || id || '}' FROM appended) AS confirmed_outbox
\gset
COMMIT;

-- 12, 13. the order relay publishes OrderConfirmed
-- sql: OutboxRelay.NEXT_BATCH
SELECT id, event_id, topic, record_key, event_type, event_version, correlation_id, payload, created_at, traceparent
FROM bench_orders.outbox ORDER BY id LIMIT 256;
-- sql: OutboxRelay.DELETE_SENT
DELETE FROM bench_orders.outbox WHERE id = ANY(:confirmed_outbox);

-- 14. inventory on OrderConfirmed: reserved -> sold
BEGIN;
-- sql: IdempotentConsumer.CLAIM
INSERT INTO bench_inventory.inbox (consumer, event_id, event_type, aggregate_id) VALUES ('inventory', :confirmed_event, 'OrderConfirmed', :order_id)
ON CONFLICT DO NOTHING;
-- sql: InventoryRepository.SELL_TOGETHER
WITH settled AS (
  UPDATE bench_inventory.reservations SET state = 'SOLD', updated_at = now()
  WHERE order_id = ANY(:order_ids::uuid[]) AND state = 'RESERVED' RETURNING sku, quantity),
totals AS (
  SELECT sku, sum(quantity) AS quantity FROM settled GROUP BY sku),
locked AS (
  SELECT sku FROM bench_inventory.products WHERE sku IN (SELECT sku FROM totals) ORDER BY sku FOR UPDATE)
UPDATE bench_inventory.products SET reserved = products.reserved - totals.quantity, sold = products.sold + totals.quantity
FROM totals JOIN locked USING (sku) WHERE products.sku = totals.sku;
COMMIT;

-- 15. user on OrderConfirmed: reserved -> spent
BEGIN;
-- sql: IdempotentConsumer.CLAIM
INSERT INTO bench_users.inbox (consumer, event_id, event_type, aggregate_id) VALUES ('user', :confirmed_event, 'OrderConfirmed', :order_id)
ON CONFLICT DO NOTHING;
-- sql: CustomerRepository.CAPTURE_RESERVED
WITH captured AS (
  UPDATE bench_users.credit_reservations SET state = 'CAPTURED', updated_at = now()
  WHERE order_id = :order_id AND state = 'RESERVED' RETURNING customer_id, amount)
UPDATE bench_users.customers SET credit_reserved = credit_reserved - captured.amount,
  credit_spent = credit_spent + captured.amount
FROM captured WHERE customers.id = captured.customer_id;
COMMIT;

-- 16. notification on OrderConfirmed: one notification row
BEGIN;
-- sql: IdempotentConsumer.CLAIM
INSERT INTO bench_notifications.inbox (consumer, event_id, event_type, aggregate_id) VALUES ('notification', :confirmed_event, 'OrderConfirmed', :order_id)
ON CONFLICT DO NOTHING;
-- sql: NotificationRepository.INSERT
INSERT INTO bench_notifications.notifications (order_id, outcome, customer_id, payload, correlation_id, status)
VALUES (:order_id, 'CONFIRMED', :customer_id, :notification_payload, :correlation_id, 'PENDING') ON CONFLICT (order_id, outcome) DO NOTHING;
COMMIT;

-- 17, 18. the dispatcher claims it (rounds of up to 32; amortised here as a claim of one) and marks it sent
-- sql: NotificationRepository.CLAIM_DUE
UPDATE bench_notifications.notifications SET next_attempt_at = now() + make_interval(secs => 20)
WHERE (order_id, outcome) IN (
    SELECT order_id, outcome FROM bench_notifications.notifications
    WHERE status IN ('PENDING', 'PARKED') AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING order_id, outcome, customer_id, payload, correlation_id;
-- sql: NotificationRepository.MARK_SENT
UPDATE bench_notifications.notifications SET status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = NULL
FROM unnest(:order_ids::uuid[], '{CONFIRMED}'::text[]) AS sent (order_id, outcome)
WHERE notifications.order_id = sent.order_id AND notifications.outcome = sent.outcome;
