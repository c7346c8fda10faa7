/*
 * db/prefs: one row of preference_events per choice an employee made.
 */
#include "db/db_int.h"
#include "db/prefs.h"
#include "db/stmt.h"

static const char sql_event_add[] =
    "INSERT INTO preference_events (employee_id, at, kind) "
    "VALUES (?1, ?2, ?3)";

int
db_prefs_event_add(struct db *db, int64_t employee_id, const char *kind,
    time_t at)
{
	struct db_q *q;

	if ((q = db_q(db, sql_event_add)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_int64(q, 2, (int64_t)at);
	db_q_text(q, 3, kind);
	return db_q_done(db, q, "preference event");
}
