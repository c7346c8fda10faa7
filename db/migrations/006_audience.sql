-- 006: audience limits (posts.csv `audience`; README, "Audience limits").
--
-- A post's limit is a count of employees or a percent of its eligible
-- audience, in hundredths so that 12.5% needs no floating point; NULL in
-- both: everyone eligible. Adding a column with a NULL default rewrites no
-- row, and NULL passes the CHECKs.
ALTER TABLE posts ADD COLUMN audience_count INTEGER
    CHECK (audience_count >= 1);
ALTER TABLE posts ADD COLUMN audience_hundredths INTEGER
    CHECK (audience_hundredths >= 1 AND audience_hundredths <= 9999);

-- One row per limited post once its audience is chosen, on the first day
-- a digest could offer it. A new import of the post's audience or roles
-- deletes the row, and the next digest chooses again.
CREATE TABLE audience_choices (
	id		INTEGER PRIMARY KEY,
	post_id		INTEGER NOT NULL UNIQUE
			REFERENCES posts(id) ON DELETE CASCADE,
	local_date	TEXT NOT NULL,		-- the date it was chosen on
	base		INTEGER NOT NULL,	-- employees eligible then
	cap		INTEGER NOT NULL,	-- at most this many offered
	chosen		INTEGER NOT NULL,	-- employees in the set
	created_at	INTEGER NOT NULL
);

-- The employees a limited post may be offered to. Keyed by employee: a
-- digest reads its employee's rows. seq is the choice's id times 2^24
-- plus the member's place in that choice (a limit is at most 10,000,000
-- < 2^24): an employee's largest seq says how recently they were chosen,
-- and the next choice takes those with the smallest first, in the order
-- they were chosen last time, a rotation.
CREATE TABLE audience_members (
	employee_id	INTEGER NOT NULL REFERENCES employees(id),
	post_id		INTEGER NOT NULL
			REFERENCES posts(id) ON DELETE CASCADE,
	choice_id	INTEGER NOT NULL
			REFERENCES audience_choices(id) ON DELETE CASCADE,
	seq		INTEGER NOT NULL,
	PRIMARY KEY (employee_id, post_id)
) WITHOUT ROWID;
CREATE INDEX audience_members_last ON audience_members(employee_id, seq);
CREATE INDEX audience_members_choice ON audience_members(choice_id);
