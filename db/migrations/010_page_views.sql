-- 010: the pages of a digest's footer that redirectors served, kept for
-- the store-wide judge.
--
-- A mail-security gateway that sweeps a digest fetches its footer's
-- unsubscribe and preferences pages with its links, and the sweep rule
-- counts each page as one more link (redirector/judge.h). A redirector
-- sees the pages it serves; the reports' judge of every node's hits
-- (redirector/rejudge.c) saw only the links, so a sweep of a three-link
-- digest spread over several redirectors long after delivery was found by
-- no one. Each row is one GET or HEAD of a page: when, whose, the digest
-- the redirector took it for (ledger.id, 0: none) and when that went out
-- (0: unknown), and which page (1: unsubscribe, 2: preferences). No
-- visitor, no address: the rule needs none. Rows are written in the hit
-- writer's batches, without a foreign key (as hits, since 007: nothing
-- for a batch to check), and deleted two days after the judge passed
-- them.
CREATE TABLE page_views (
	id		INTEGER PRIMARY KEY,
	ts		INTEGER NOT NULL,
	employee_id	INTEGER NOT NULL,
	digest_id	INTEGER NOT NULL,
	delivered	INTEGER NOT NULL,
	page		INTEGER NOT NULL CHECK (page = 1 OR page = 2)
);
CREATE INDEX page_views_ts ON page_views(ts);
