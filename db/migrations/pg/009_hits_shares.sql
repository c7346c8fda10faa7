-- 009, for PostgreSQL: the shares of a day, found without reading the
-- day's clicks (see ../009_hits_shares.sql).
CREATE INDEX hits_shares ON hits(ts) WHERE kind = 'share';
