-- 003: honest numbers.
--
-- Two new classes of hit: 'scanner' (a mail-security gateway sweeping one
-- digest's links, whatever its User-Agent) and 'self' (an employee's own
-- click on a link they shared that day). Widening a CHECK leaves every
-- stored row valid, so this is the same in-place edit of sqlite_schema as
-- 002, not a copy of the table.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (class = ''human'' OR class = ''bot'' OR '
    || 'class = ''preview'' OR class = ''head'')',
    'CHECK (class = ''human'' OR class = ''bot'' OR '
    || 'class = ''preview'' OR class = ''head'' OR '
    || 'class = ''scanner'' OR class = ''self'')')
    WHERE type = 'table' AND name = 'hits';
PRAGMA writable_schema = OFF;
CREATE TEMP TABLE check_003 (left_over INTEGER
    CONSTRAINT "the CHECK of hits.class was not widened"
    CHECK (left_over = 0));
INSERT INTO check_003 SELECT count(*) FROM sqlite_schema
    WHERE type = 'table' AND name = 'hits' AND sql NOT LIKE '%''self''%';
DROP TABLE check_003;

-- The counting rules, defined once (see 001 for the rest):
--   click    a human hit on the short link; 'self' is not a click
--   bot      a crawler, a HEAD request or a mail-security gateway
--   self hits count nowhere but in /metrics.
DROP VIEW report_hit;
CREATE VIEW report_hit AS
SELECT id, link_id, ts, ts / 86400 AS day,
	(kind = 'share' AND class = 'human' AND repeat = 0) AS share,
	(class = 'preview') AS preview,
	(kind = 'click' AND class = 'human') AS click,
	(class = 'bot' OR class = 'head' OR class = 'scanner') AS bot,
	CASE WHEN kind = 'click' AND class = 'human' THEN visitor END
	    AS human_visitor
FROM hits;

-- A hit's class may be revised after its answer, when later hits show what
-- it was (a gateway's sweep, an employee's own click). The redirector
-- revises the hit and, in the same transaction, names its day and link
-- here; the next roll-up recomputes those rows from the hits and empties
-- the table, so every report counts the final class.
CREATE TABLE report_dirty (
	link_id		INTEGER NOT NULL,
	day		INTEGER NOT NULL,
	PRIMARY KEY (link_id, day)
) WITHOUT ROWID;

-- The visitor key of each UTC day, shared by every redirector on this
-- database so that a restart or a second node counts one person once.
-- The row of a day is deleted (with secure_delete) once the day is over,
-- and a backup never holds one: see redirector/visitor.h.
CREATE TABLE visitor_keys (
	day		INTEGER PRIMARY KEY,	-- UTC days since 1970-01-01
	key		BLOB NOT NULL CHECK (length(key) = 32)
);
