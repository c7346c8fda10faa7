-- 005, for PostgreSQL: choices that are the employee's (see
-- ../005_choices.sql): which settings are their own, their topics, and
-- the frequency 'weekdays'.
ALTER TABLE employees ADD COLUMN own_fields INTEGER NOT NULL DEFAULT 0;
UPDATE employees SET own_fields = 3 WHERE prefs_updated_at IS NOT NULL;

CREATE TABLE employee_topics (
	employee_id	BIGINT NOT NULL REFERENCES employees(id)
			    ON DELETE CASCADE,
	role		TEXT NOT NULL,
	choice		TEXT NOT NULL CHECK (choice IN ('follow', 'mute')),
	PRIMARY KEY (employee_id, role)
);

-- Widening a CHECK leaves every row valid; adding the new one reads the
-- table once to prove it.
ALTER TABLE employees DROP CONSTRAINT employees_frequency_check;
ALTER TABLE employees ADD CONSTRAINT employees_frequency_check
    CHECK (frequency IN ('daily', 'weekdays', 'weekly', 'paused'));
