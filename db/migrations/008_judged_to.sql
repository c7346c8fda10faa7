-- 008: the store-wide judge's place in time.
--
-- Each redirector judges the hits it sees (redirector/judge.c); behind a
-- load balancer that spreads one visitor's requests over several nodes,
-- none sees a gateway's sweep or an employee's own share and click whole.
-- The reports' fold first judges again, with the same rule, every node's
-- stored hits in the order of their seconds (redirector/rejudge.c), each
-- second once it is five minutes old. report_state.judged_to is the first
-- second not judged yet. A store made before this judges from its newest
-- hit on (from now, if a clock once wrote one in the future): the counts
-- it has already reported stay as they were.
ALTER TABLE report_state ADD COLUMN judged_to INTEGER NOT NULL DEFAULT 0;
UPDATE report_state SET judged_to = (SELECT coalesce(min(max(ts) + 1,
    CAST(strftime('%s', 'now') AS INTEGER)), 0) FROM hits);
