-- 009, for PostgreSQL: the shares of a day, found without reading the
-- day's clicks (see ../009_hits_shares.sql).
--
-- Building it reads every hit, and a plain CREATE INDEX holds off the
-- redirectors' inserts meanwhile. On a large store, build it first
-- without that, and this step finds it there:
--   CREATE INDEX CONCURRENTLY hits_shares ON hits(ts)
--       WHERE kind = 'share';
-- A build of that kind that was interrupted leaves an index marked
-- invalid, which no query uses: it is dropped and built here.
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_index
	    WHERE indexrelid = to_regclass('hits_shares') AND NOT indisvalid)
	THEN
		DROP INDEX hits_shares;
	END IF;
END
$$;
CREATE INDEX IF NOT EXISTS hits_shares ON hits(ts) WHERE kind = 'share';
