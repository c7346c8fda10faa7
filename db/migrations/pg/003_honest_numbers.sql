-- 003, for PostgreSQL: honest numbers (see ../003_honest_numbers.sql).
--
-- hits.class gains 'scanner' and 'self'. Widening a CHECK leaves every
-- row valid; adding the new one reads the table once to prove it.
ALTER TABLE hits DROP CONSTRAINT hits_class_check;
ALTER TABLE hits ADD CONSTRAINT hits_class_check
    CHECK (class IN ('human', 'bot', 'preview', 'head', 'scanner', 'self'));

DROP VIEW report_hit;
CREATE VIEW report_hit AS
SELECT id, link_id, ts, ts / 86400 AS day,
	(kind = 'share' AND class = 'human' AND repeat = 0)::integer AS share,
	(class = 'preview')::integer AS preview,
	(kind = 'click' AND class = 'human')::integer AS click,
	(class = 'bot' OR class = 'head' OR class = 'scanner')::integer AS bot,
	CASE WHEN kind = 'click' AND class = 'human' THEN visitor END
	    AS human_visitor
FROM hits;

CREATE TABLE report_dirty (
	link_id		BIGINT NOT NULL,
	day		BIGINT NOT NULL,
	PRIMARY KEY (link_id, day)
);

-- The visitor key of each UTC day, shared by every redirector on this
-- database. A day's row is deleted once the day is over; where SQLite has
-- secure_delete, PostgreSQL keeps the dead row until VACUUM, so whatever
-- deletes it must vacuum visitor_keys after.
CREATE TABLE visitor_keys (
	day		BIGINT PRIMARY KEY,
	key		BYTEA NOT NULL CHECK (length(key) = 32)
);
