-- Every placement and every confirmation updates the rows of its skus, so a few popular skus gather
-- row versions by the hundred a second. Left to the defaults (a fifth of the table changed, checked
-- once a minute), a five-row table grew to hundreds of pages between two vacuums, and a plan made
-- while it was small (a sequential scan is the cheapest way through one page) then read every one of
-- those pages for each reservation. Vacuumed and analysed after every 500 changes instead, it stays
-- small and its plans are made again as it changes.
ALTER TABLE products SET (
    autovacuum_vacuum_threshold = 500,
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_analyze_threshold = 500,
    autovacuum_analyze_scale_factor = 0,
    autovacuum_vacuum_cost_delay = 0);
