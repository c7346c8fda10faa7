/*
 * db/employees: upsert of employees and their roles by email, and prune.
 * An import compares each row with what is stored, so a re-import of the
 * same file reports every row unchanged and writes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "common/network.h"
#include "common/random.h"
#include "db/db_int.h"
#include "db/employees.h"

static const char sql_seen_create[] =
    "CREATE TEMP TABLE IF NOT EXISTS import_seen (id INTEGER PRIMARY KEY)";
static const char sql_seen_clear[] = "DELETE FROM temp.import_seen";
static const char sql_seen_add[] =
    "INSERT OR IGNORE INTO temp.import_seen (id) VALUES (?1)";
static const char sql_find[] =
    "SELECT id, email, name, timezone, send_time, networks, frequency, "
    "active, prefs_updated_at IS NOT NULL FROM employees WHERE email = ?1";
static const char sql_roles[] =
    "SELECT role FROM employee_roles WHERE employee_id = ?1 ORDER BY role";
static const char sql_insert[] =
    "INSERT INTO employees (email, name, timezone, send_time, networks, "
    "frequency, unsub_token, pref_token, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
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
    "AND id NOT IN (SELECT id FROM temp.import_seen)";

int
db_employees_import_begin(struct db *db)
{
	if (db_exec(db, sql_seen_create) == -1 ||
	    db_exec(db, sql_seen_clear) == -1)
		return -1;
	return 0;
}

static int
opt_equal(const char *stored, const char *in)
{
	/* stored "" stands for NULL (db_col_text); in NULL means default. */
	return strcmp(stored, in != NULL ? in : "") == 0;
}

static int
mark_seen(struct db *db, sqlite3_int64 id)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_seen_add)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(db, st, "import seen");
}

int
db_employees_upsert(struct db *db, const struct employee_in *e, time_t now,
    enum db_upsert *result)
{
	char unsub[RAND_TOKEN_LEN + 1], pref[RAND_TOKEN_LEN + 1];
	sqlite3_stmt *st;
	sqlite3_int64 id;
	unsigned networks = e->networks;
	const char *frequency = e->frequency;
	char freq[16];
	int rc, same, r;

	if ((st = db_stmt(db, sql_find)) == NULL)
		return -1;
	db_bind_text(st, 1, e->email);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rand_token(unsub);
		rand_token(pref);
		if ((st = db_stmt(db, sql_insert)) == NULL)
			return -1;
		db_bind_text(st, 1, e->email);
		db_bind_text(st, 2, e->name);
		db_bind_text(st, 3, e->timezone);
		db_bind_text(st, 4, e->send_time);
		sqlite3_bind_int(st, 5, (int)e->networks);
		db_bind_text(st, 6, e->frequency);
		db_bind_text(st, 7, unsub);
		db_bind_text(st, 8, pref);
		sqlite3_bind_int64(st, 9, (sqlite3_int64)now);
		if (db_step_done(db, st, "add employee") == -1)
			return -1;
		id = sqlite3_last_insert_rowid(db->h);
		if (db_roles_write(db, sql_roles_clear, sql_role_add, id, e->roles, e->nroles) == -1 || mark_seen(db, id) == -1)
			return -1;
		*result = DB_ADDED;
		return 0;
	}
	if (rc != SQLITE_ROW)
		return db_fail(db, "find employee");

	id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_int(st, 8)) {
		/* The employee's own choice on the preferences page wins. */
		networks = (unsigned)sqlite3_column_int(st, 5);
		frequency = db_col_text(st, 6);
	}
	same = strcmp(db_col_text(st, 1), e->email) == 0 &&
	    strcmp(db_col_text(st, 2), e->name) == 0 &&
	    opt_equal(db_col_text(st, 3), e->timezone) &&
	    opt_equal(db_col_text(st, 4), e->send_time) &&
	    (unsigned)sqlite3_column_int(st, 5) == networks &&
	    strcmp(db_col_text(st, 6), frequency) == 0 &&
	    sqlite3_column_int(st, 7) == 1;
	/* frequency may point into st: copy it before the next statement. */
	snprintf(freq, sizeof(freq), "%s", frequency);

	if ((r = db_roles_equal(db, sql_roles, id, e->roles, e->nroles)) == -1)
		return -1;
	same = same && r;
	if (mark_seen(db, id) == -1)
		return -1;
	if (same) {
		*result = DB_UNCHANGED;
		return 0;
	}
	if ((st = db_stmt(db, sql_update)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, e->email);
	db_bind_text(st, 3, e->name);
	db_bind_text(st, 4, e->timezone);
	db_bind_text(st, 5, e->send_time);
	sqlite3_bind_int(st, 6, (int)networks);
	db_bind_text(st, 7, freq);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)now);
	if (db_step_done(db, st, "update employee") == -1 ||
	    db_roles_write(db, sql_roles_clear, sql_role_add, id, e->roles, e->nroles) == -1)
		return -1;
	*result = DB_UPDATED;
	return 0;
}

int
db_employees_prune(struct db *db, time_t now, long *count)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_prune)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	if (db_step_done(db, st, "prune employees") == -1)
		return -1;
	*count = sqlite3_changes(db->h);
	return 0;
}
