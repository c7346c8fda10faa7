-- 007: hits, the redirector's log, without its foreign key.
--
-- hits.link_id named links(id) as a foreign key. Every hit is written by
-- the redirector with the id of a link it has just read from links, and
-- no command deletes a link; the key guarded against nothing, and its
-- check ran for every hit on the redirector's hot path. On PostgreSQL it
-- was the largest part of a hit's cost to the server (a row lock on the
-- link, FOR KEY SHARE, and a query for each hit: 30% of the server's
-- time, bench/README.md), and one server holds the hits of every
-- redirector. Both stores keep the same schema (tests/e2e/pg_schema.sh),
-- so SQLite drops it too. Reports join hits to links, as before.
--
-- Dropping a foreign key leaves every row as it is, so this is the edit
-- of sqlite_schema that SQLite documents for it (lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes"), as in 002.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, ' REFERENCES links(id)', '')
    WHERE type = 'table' AND name = 'hits';
PRAGMA writable_schema = OFF;
CREATE TEMP TABLE check_007 (left_over INTEGER
    CONSTRAINT "the foreign key of hits.link_id was not dropped"
    CHECK (left_over = 0));
INSERT INTO check_007 SELECT count(*) FROM sqlite_schema
    WHERE type = 'table' AND name = 'hits' AND sql LIKE '%REFERENCES%';
DROP TABLE check_007;
