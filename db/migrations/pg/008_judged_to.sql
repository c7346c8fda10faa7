-- 008, for PostgreSQL: the store-wide judge's place in time (see
-- ../008_judged_to.sql).
ALTER TABLE report_state ADD COLUMN judged_to BIGINT NOT NULL DEFAULT 0;
UPDATE report_state SET judged_to = (SELECT CASE WHEN max(ts) IS NULL
    THEN 0 ELSE least(max(ts) + 1, CAST(extract(epoch FROM now()) AS BIGINT))
    END FROM hits);
