-- 004: "not for me", and the history of the employees' own choices.
--
-- CHECKs list their values with OR, never with IN (see 002: SQLite builds
-- a temporary B-tree for an IN list on every row written).

-- An employee's "not for me" on a post (GET /n/CODE, then POST): that post
-- is never offered to them again, whatever happens to suggestions. One
-- row per employee and post: a second POST changes nothing. The reason is
-- the one they chose on the page, or NULL when they chose none.
CREATE TABLE declines (
	employee_id	INTEGER NOT NULL REFERENCES employees(id),
	post_id		INTEGER NOT NULL REFERENCES posts(id),
	reason		TEXT
			CHECK (reason IS NULL OR reason = 'not_relevant' OR
			    reason = 'not_my_network' OR
			    reason = 'would_not_share'),
	at		INTEGER NOT NULL,	-- Unix seconds
	PRIMARY KEY (employee_id, post_id)
) WITHOUT ROWID;
CREATE INDEX declines_post ON declines(post_id);

-- What employees changed themselves, on the unsubscribe and preferences
-- pages, when the value changed: 'unsubscribed', 'resubscribed', or the
-- frequency they chose. Written in the same transaction as the change,
-- for the monthly review (chorus report program). HR imports are not
-- employees' choices and write nothing here.
CREATE TABLE preference_events (
	id		INTEGER PRIMARY KEY,
	employee_id	INTEGER NOT NULL REFERENCES employees(id),
	at		INTEGER NOT NULL,	-- Unix seconds
	kind		TEXT NOT NULL
			CHECK (kind = 'unsubscribed' OR kind = 'resubscribed' OR
			    kind = 'daily' OR kind = 'weekdays' OR
			    kind = 'weekly' OR kind = 'paused')
);
CREATE INDEX preference_events_at ON preference_events(at);
