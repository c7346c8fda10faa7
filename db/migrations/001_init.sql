-- Chorus schema, version 1.
-- Times are Unix seconds (UTC); dates are 'YYYY-MM-DD' text, which sorts.
-- Networks are 'linkedin', 'x', 'facebook'; an employee's chosen set is a
-- bit mask (1 linkedin, 2 x, 4 facebook).

CREATE TABLE employees (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL COLLATE NOCASE UNIQUE,
	name		TEXT NOT NULL DEFAULT '',
	timezone	TEXT,			-- NULL: digest.timezone
	send_time	TEXT,			-- 'HH:MM'; NULL: digest.send_time
	networks	INTEGER NOT NULL DEFAULT 7 CHECK (networks BETWEEN 1 AND 7),
	frequency	TEXT NOT NULL DEFAULT 'daily'
			CHECK (frequency IN ('daily', 'weekly', 'paused')),
	active		INTEGER NOT NULL DEFAULT 1,	-- 0: pruned from HR export
	unsubscribed_at	INTEGER,		-- NULL: subscribed
	prefs_updated_at INTEGER,		-- set when the employee changes
						-- frequency or networks on /p/;
						-- imports then keep their choice
	unsub_token	TEXT NOT NULL UNIQUE,	-- /u/TOKEN, 122 random bits
	pref_token	TEXT NOT NULL UNIQUE,	-- /p/TOKEN, 122 random bits
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

CREATE TABLE employee_roles (
	employee_id	INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
	role		TEXT NOT NULL,
	PRIMARY KEY (employee_id, role)
) WITHOUT ROWID;
CREATE INDEX employee_roles_role ON employee_roles(role);

CREATE TABLE posts (
	id		INTEGER PRIMARY KEY,
	ext_id		TEXT NOT NULL UNIQUE,	-- the comms team's id
	title		TEXT NOT NULL,
	url		TEXT NOT NULL,
	summary		TEXT NOT NULL DEFAULT '',
	text		TEXT NOT NULL DEFAULT '',
	text_linkedin	TEXT,			-- NULL: use text
	text_x		TEXT,
	text_facebook	TEXT,
	starts		TEXT,			-- NULL: no start
	expires		TEXT,			-- NULL: never
	priority	INTEGER NOT NULL DEFAULT 0,
	everyone	INTEGER NOT NULL DEFAULT 0,	-- roles empty or '*'
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

CREATE TABLE post_roles (
	post_id		INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	role		TEXT NOT NULL,
	PRIMARY KEY (post_id, role)
) WITHOUT ROWID;
CREATE INDEX post_roles_role ON post_roles(role);

-- The send ledger: one row per employee and local date, whatever happens.
CREATE TABLE ledger (
	id		INTEGER PRIMARY KEY,
	employee_id	INTEGER NOT NULL REFERENCES employees(id),
	local_date	TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'sending', 'sent', 'skipped',
			    'failed_temp', 'failed_perm')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	claimed_by	TEXT,			-- run that holds a 'sending' row
	claimed_at	INTEGER,
	message_id	TEXT,
	reply		TEXT,			-- the server's last reply
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL,
	UNIQUE (employee_id, local_date)
);
CREATE INDEX ledger_state ON ledger(state, local_date);

-- Which post went to whom in which digest: "never repeat a post".
CREATE TABLE suggestions (
	employee_id	INTEGER NOT NULL REFERENCES employees(id),
	post_id		INTEGER NOT NULL REFERENCES posts(id),
	ledger_id	INTEGER NOT NULL REFERENCES ledger(id),
	local_date	TEXT NOT NULL,
	rank		INTEGER NOT NULL DEFAULT 0,	-- place in that digest
	PRIMARY KEY (employee_id, post_id)
) WITHOUT ROWID;
CREATE INDEX suggestions_post ON suggestions(post_id, local_date);
CREATE INDEX suggestions_ledger ON suggestions(ledger_id);

-- Personal short links: one per employee, post and network.
CREATE TABLE links (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL UNIQUE,	-- base62, >= 58 random bits
	employee_id	INTEGER NOT NULL REFERENCES employees(id),
	post_id		INTEGER NOT NULL REFERENCES posts(id),
	network		TEXT NOT NULL
			CHECK (network IN ('linkedin', 'x', 'facebook')),
	created_at	INTEGER NOT NULL,
	UNIQUE (employee_id, post_id, network)
);
CREATE INDEX links_post ON links(post_id);

-- Every request on a personal link. No raw IP address, ever: visitor is a
-- keyed hash of address and User-Agent under a key that changes daily.
CREATE TABLE hits (
	id		INTEGER PRIMARY KEY,
	link_id		INTEGER NOT NULL REFERENCES links(id),
	ts		INTEGER NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('click', 'share')),
	class		TEXT NOT NULL
			CHECK (class IN ('human', 'bot', 'preview', 'head')),
	repeat		INTEGER NOT NULL DEFAULT 0,	-- same visitor within 30 min
	visitor		BLOB
);
-- No index on link_id: every hit is inserted on the redirector's hot path,
-- and an index keyed by link puts each hit on a random page, so every
-- commit writes a page per hit (measured: 40% of the redirector's
-- throughput). Reads by time use hits_ts; by link, SQLite builds a
-- transient index in one pass.
CREATE INDEX hits_ts ON hits(ts);

-- One row per `chorus digest run` or scheduler batch, for `chorus status`.
CREATE TABLE runs (
	id		INTEGER PRIMARY KEY,
	started_at	INTEGER NOT NULL,
	finished_at	INTEGER,
	trigger		TEXT NOT NULL,		-- 'run', 'date', 'schedule'
	sent		INTEGER NOT NULL DEFAULT 0,
	skipped		INTEGER NOT NULL DEFAULT 0,
	failed		INTEGER NOT NULL DEFAULT 0,
	status		INTEGER			-- exit status, NULL while running
);

-- Reports ------------------------------------------------------------------
-- The counting rules, defined once. Every report, the HTML page and the
-- digest's results read hits through this view, so their numbers agree:
--   share    a human hit on the share route, not a repeat (a double click
--            on the share button is one share); bot shares are bot_hits
--   preview  a link-preview fetch, on any route
--   click    a human hit on the short link, repeats included
--   bot      a crawler or a HEAD request, on any route
--   human_visitor  the visitor of a click; unique clicks count distinct
--            visitors per link and UTC day (the visitor key changes daily)
CREATE VIEW report_hit AS
SELECT id, link_id, ts, ts / 86400 AS day,
	(kind = 'share' AND class = 'human' AND repeat = 0) AS share,
	(class = 'preview') AS preview,
	(kind = 'click' AND class = 'human') AS click,
	(class IN ('bot', 'head')) AS bot,
	CASE WHEN kind = 'click' AND class = 'human' THEN visitor END
	    AS human_visitor
FROM hits;

-- The roll-up: one row per UTC day and link with any hit. It is kept by
-- the report command itself, not by a trigger, so inserting a hit costs
-- nothing more: each report first folds in the hits whose id is above
-- report_state.last_hit (hit ids only grow), recomputing every day and
-- link those hits touch from the hits themselves.
CREATE TABLE report_link_day (
	day		INTEGER NOT NULL,	-- UTC days since 1970-01-01
	employee_id	INTEGER NOT NULL,
	post_id		INTEGER NOT NULL,
	network		TEXT NOT NULL,
	link_id		INTEGER NOT NULL,
	shares		INTEGER NOT NULL,
	previews	INTEGER NOT NULL,
	clicks		INTEGER NOT NULL,
	unique_clicks	INTEGER NOT NULL,
	bot_hits	INTEGER NOT NULL,
	PRIMARY KEY (day, employee_id, post_id, network)
) WITHOUT ROWID;
-- One employee's week, for the results in each digest.
CREATE INDEX report_link_day_employee ON report_link_day(employee_id, day);

CREATE TABLE report_state (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	last_hit	INTEGER NOT NULL	-- hits up to this id are rolled up
);
INSERT INTO report_state (id, last_hit) VALUES (1, 0);

-- The redirector's health probe: /healthz writes this row through the same
-- writer as the hits, so 200 means a hit could be committed now.
CREATE TABLE redirector_health (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	alive_at	INTEGER NOT NULL
);

-- The redirector keeps links in memory. Anything that could change where an
-- existing link leads bumps this generation (a new link cannot: it is not
-- cached yet); the hit writer reads it in every batch, so no answer built
-- from an older generation is sent after the change has committed.
CREATE TABLE link_generation (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	gen		INTEGER NOT NULL
);
INSERT INTO link_generation (id, gen) VALUES (1, 1);
CREATE TRIGGER link_generation_post_update AFTER UPDATE ON posts
BEGIN UPDATE link_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER link_generation_post_delete AFTER DELETE ON posts
BEGIN UPDATE link_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER link_generation_link_update AFTER UPDATE ON links
BEGIN UPDATE link_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER link_generation_link_delete AFTER DELETE ON links
BEGIN UPDATE link_generation SET gen = gen + 1 WHERE id = 1; END;
