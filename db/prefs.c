/*
 * db/prefs: one row of preference_events per choice an employee made.
 */
#include "db/db_int.h"
#include "db/prefs.h"

static const char sql_event_add[] =
    "INSERT INTO preference_events (employee_id, at, kind) "
    "VALUES (?1, ?2, ?3)";

int
db_prefs_event_add(struct db *db, int64_t employee_id, const char *kind,
    time_t at)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_event_add)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)at);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	rc = db_step_done(db, st, "preference event");
	sqlite3_reset(st);
	return rc;
}
