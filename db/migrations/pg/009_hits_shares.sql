-- 009, for PostgreSQL: the shares of a day, found without reading the
-- day's clicks (see ../009_hits_shares.sql).
--
-- Building it reads every hit, and a plain CREATE INDEX holds off the
-- redirectors' inserts meanwhile. On a large store, build it first
-- without that, and this step finds it there:
--   CREATE INDEX CONCURRENTLY hits_shares ON hits(ts)
--       WHERE kind = 'share';
CREATE INDEX IF NOT EXISTS hits_shares ON hits(ts) WHERE kind = 'share';
