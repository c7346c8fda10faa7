/*
 * db/employees: upsert of employees and their roles by email, and prune,
 * on either store. An import compares each row with what is stored, so a
 * re-import of the same file reports every row unchanged and writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/network.h"
#include "common/random.h"
#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/employees.h"
#include "db/pg.h"
#include "db/stmt.h"

/* The ids an import has seen, for the prune. A temporary table lives as
 * long as its connection on either store; PostgreSQL's is empty again at
 * each COMMIT, and the import clears it at its start on both. */
static const struct db_sql sql_seen_create = {
	"CREATE TEMP TABLE IF NOT EXISTS import_seen (id INTEGER PRIMARY KEY)",
	"CREATE TEMP TABLE IF NOT EXISTS import_seen (id BIGINT PRIMARY KEY) "
	"ON COMMIT DELETE ROWS",
};
static const char sql_seen_clear[] = "DELETE FROM import_seen";
/* Rows an import writes wait for its COMMIT, and so do its readers'
 * decisions: one import of employees at a time, as SQLite's BEGIN
 * IMMEDIATE makes it; readers (the redirector, digests) go on. */
static const char sql_lock_pg[] =
    "LOCK TABLE employees IN SHARE ROW EXCLUSIVE MODE";
static const char sql_seen_add[] =
    "INSERT INTO import_seen (id) VALUES (?1) ON CONFLICT (id) DO NOTHING";
/* email is COLLATE NOCASE on SQLite, CITEXT on PostgreSQL. */
static const char sql_find[] =
    "SELECT id, email, name, timezone, send_time, networks, frequency, "
    "active, own_fields FROM employees WHERE email = ?1";
static const char sql_roles[] =
    "SELECT role FROM employee_roles WHERE employee_id = ?1";
static const char sql_insert[] =
    "INSERT INTO employees (email, name, timezone, send_time, networks, "
    "frequency, unsub_token, pref_token, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id";
static const char sql_update[] =
    "UPDATE employees SET email = ?2, name = ?3, timezone = ?4, "
    "send_time = ?5, networks = ?6, frequency = ?7, active = 1, "
    "updated_at = ?8 WHERE id = ?1";
static const char sql_roles_clear[] =
    "DELETE FROM employee_roles WHERE employee_id = ?1";
static const char sql_role_add[] =
    "INSERT INTO employee_roles (employee_id, role) VALUES (?1, ?2)";
static const char sql_prune[] =
    "UPDATE employees SET active = 0, updated_at = ?1 WHERE active = 1 "
    "AND id NOT IN (SELECT id FROM import_seen)";

int
db_employees_import_begin(struct db *db)
{
	const struct db_sql *c = &sql_seen_create;

	if (db_exec(db, db_is_pg(db) ? c->pg : c->lite) == -1 ||
	    db_exec(db, sql_seen_clear) == -1)
		return -1;
	if (db_is_pg(db) && pg_in_transaction(db->pg) &&
	    db_exec(db, sql_lock_pg) == -1)
		return -1;
	return 0;
}

static int
opt_equal(const char *stored, const char *in)
{
	/* stored "" stands for NULL (db_q_col_text); in NULL means default. */
	return strcmp(stored, in != NULL ? in : "") == 0;
}

static int
mark_seen(struct db *db, int64_t id)
{
	struct db_q *q;

	if ((q = db_q(db, sql_seen_add)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	return db_q_done(db, q, "import seen");
}

/* Copies stored text (it points into a cursor's row) into buf. */
static const char *
keep_text(char *buf, size_t len, const char *stored)
{
	snprintf(buf, len, "%s", stored);
	return buf;
}

/* Inserts a new employee; *id is its id. Returns 0 or -1. */
static int
employee_insert(struct db *db, const struct employee_in *e, time_t now,
    int64_t *id)
{
	char unsub[RAND_TOKEN_LEN + 1], pref[RAND_TOKEN_LEN + 1];
	struct db_q *q;

	rand_token(unsub);
	rand_token(pref);
	if ((q = db_q(db, sql_insert)) == NULL)
		return -1;
	db_q_text(q, 1, e->email);
	db_q_text(q, 2, e->name);
	db_q_text(q, 3, e->timezone);
	db_q_text(q, 4, e->send_time);
	db_q_int64(q, 5, e->networks);
	db_q_text(q, 6, e->frequency);
	db_q_text(q, 7, unsub);
	db_q_text(q, 8, pref);
	db_q_int64(q, 9, (int64_t)now);
	if (db_q_step(q) != DB_Q_ROW) {
		db_fail(db, "add employee");
		db_q_reset(q);
		return -1;
	}
	*id = db_q_col_int64(q, 0);
	/* The rest of RETURNING's run: SQLite writes the row by then. */
	return db_q_done(db, q, "add employee");
}

int
db_employees_upsert(struct db *db, const struct employee_in *e, time_t now,
    enum db_upsert *result, int *kept)
{
	char freq[16], tz[128], sendt[16], *name = NULL;
	struct db_q *q;
	int64_t id;
	unsigned networks = e->networks, own, hr;
	const char *frequency = e->frequency, *timezone = e->timezone;
	const char *send_time = e->send_time;
	enum db_q_step rc;
	int same, r, aside = 0, ret = -1;

	if (kept != NULL)
		*kept = 0;
	if ((q = db_q(db, sql_find)) == NULL)
		return -1;
	db_q_text(q, 1, e->email);
	rc = db_q_step(q);
	if (rc == DB_Q_DONE) {
		if (employee_insert(db, e, now, &id) == -1 ||
		    db_roles_write(db, sql_roles_clear, sql_role_add, id,
		    e->roles, e->nroles) == -1 || mark_seen(db, id) == -1)
			return -1;
		*result = DB_ADDED;
		return 0;
	}
	if (rc != DB_Q_ROW) {
		db_fail(db, "find employee");
		db_q_reset(q);
		return -1;
	}

	id = db_q_col_int64(q, 0);
	/* Each field the employee chose themselves keeps their value, HR's
	 * set aside; so does each one whose column the file left out. The
	 * stored text is copied: it points into q. */
	hr = (unsigned)db_q_col_int64(q, 8) & ~e->keep;
	own = (unsigned)db_q_col_int64(q, 8) | e->keep;
	if (own & EMP_OWN_FREQUENCY) {
		frequency = keep_text(freq, sizeof(freq),
		    db_q_col_text(q, 6));
		if (hr & EMP_OWN_FREQUENCY)
			aside |= strcmp(frequency, e->frequency) != 0;
	}
	if (own & EMP_OWN_NETWORKS) {
		networks = (unsigned)db_q_col_int64(q, 5);
		if (hr & EMP_OWN_NETWORKS)
			aside |= networks != e->networks;
	}
	if (own & EMP_OWN_TIMEZONE) {
		if (hr & EMP_OWN_TIMEZONE)
			aside |= !opt_equal(db_q_col_text(q, 3), e->timezone);
		timezone = keep_text(tz, sizeof(tz), db_q_col_text(q, 3));
		if (*timezone == '\0')
			timezone = NULL;
	}
	if (own & EMP_OWN_SEND_TIME) {
		if (hr & EMP_OWN_SEND_TIME)
			aside |= !opt_equal(db_q_col_text(q, 4),
			    e->send_time);
		send_time = keep_text(sendt, sizeof(sendt),
		    db_q_col_text(q, 4));
		if (*send_time == '\0')
			send_time = NULL;
	}
	name = xstrdup(e->keep & EMP_KEEP_NAME ? db_q_col_text(q, 2) :
	    e->name);
	same = strcmp(db_q_col_text(q, 1), e->email) == 0 &&
	    strcmp(db_q_col_text(q, 2), name) == 0 &&
	    opt_equal(db_q_col_text(q, 3), timezone) &&
	    opt_equal(db_q_col_text(q, 4), send_time) &&
	    (unsigned)db_q_col_int64(q, 5) == networks &&
	    strcmp(db_q_col_text(q, 6), frequency) == 0 &&
	    db_q_col_int64(q, 7) == 1;
	db_q_reset(q);
	if (kept != NULL)
		*kept = aside;

	if ((r = db_roles_equal(db, sql_roles, id, e->roles, e->nroles)) == -1)
		goto out;
	same = same && r;
	if (mark_seen(db, id) == -1)
		goto out;
	if (same) {
		*result = DB_UNCHANGED;
		ret = 0;
		goto out;
	}
	if ((q = db_q(db, sql_update)) == NULL)
		goto out;
	db_q_int64(q, 1, id);
	db_q_text(q, 2, e->email);
	db_q_text(q, 3, name);
	db_q_text(q, 4, timezone);
	db_q_text(q, 5, send_time);
	db_q_int64(q, 6, networks);
	db_q_text(q, 7, frequency);
	db_q_int64(q, 8, (int64_t)now);
	if (db_q_done(db, q, "update employee") == -1 ||
	    db_roles_write(db, sql_roles_clear, sql_role_add, id, e->roles,
	    e->nroles) == -1)
		goto out;
	*result = DB_UPDATED;
	ret = 0;
out:
	free(name);
	return ret;
}

int
db_employees_prune(struct db *db, time_t now, long *count)
{
	struct db_q *q;

	if ((q = db_q(db, sql_prune)) == NULL)
		return -1;
	db_q_int64(q, 1, (int64_t)now);
	if (db_q_done(db, q, "prune employees") == -1)
		return -1;
	*count = (long)db_q_changes(q);
	return 0;
}
