-- 005: choices that are the employee's.
--
-- The frequency 'weekdays' (Monday to Friday, in the employee's local
-- date). Widening a CHECK leaves every stored row valid, so this is the
-- same in-place edit of sqlite_schema as 002 and 003, not a copy of the
-- table; the CHECK stays a chain of "=" (002 says why no IN list). The
-- edit comes last: ALTER TABLE splices the text of sqlite_schema at
-- offsets it read from the schema as parsed, which the edit would make
-- stale within this transaction.

-- Which of an employee's settings are their own, chosen on the
-- preferences or unsubscribe page: a set of bits (db/employees.h,
-- enum employee_own): 1 frequency, 2 networks, 4 timezone, 8 send_time.
-- The employees columns hold the values in effect; an import writes HR's
-- value only into the fields whose bit is clear, and counts the rows
-- where it set HR's value aside. prefs_updated_at stays the time of the
-- last change on the page; before 005 it meant "frequency and networks
-- are the employee's", which is what the UPDATE carries over.
ALTER TABLE employees ADD COLUMN own_fields INTEGER NOT NULL DEFAULT 0;
UPDATE employees SET own_fields = 3 WHERE prefs_updated_at IS NOT NULL;

-- Topics: roles the employee follows beyond HR's (any role posts use),
-- and HR roles they mute. HR's roles stay in employee_roles, as the
-- export says; a digest offers the posts of (HR's roles - muted) +
-- followed, and posts for everyone. Imports never touch this table.
CREATE TABLE employee_topics (
	employee_id	INTEGER NOT NULL REFERENCES employees(id)
			    ON DELETE CASCADE,
	role		TEXT NOT NULL,
	choice		TEXT NOT NULL
			CHECK (choice = 'follow' OR choice = 'mute'),
	PRIMARY KEY (employee_id, role)
) WITHOUT ROWID;

-- The widened frequency CHECK (see the top of this file).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (frequency = ''daily'' OR frequency = ''weekly'' OR '
    || 'frequency = ''paused'')',
    'CHECK (frequency = ''daily'' OR frequency = ''weekdays'' OR '
    || 'frequency = ''weekly'' OR frequency = ''paused'')')
    WHERE type = 'table' AND name = 'employees';
PRAGMA writable_schema = OFF;
CREATE TEMP TABLE check_005 (left_over INTEGER
    CONSTRAINT "the CHECK of employees.frequency was not widened"
    CHECK (left_over = 0));
INSERT INTO check_005 SELECT count(*) FROM sqlite_schema
    WHERE type = 'table' AND name = 'employees'
    AND sql NOT LIKE '%''weekdays''%';
DROP TABLE check_005;
