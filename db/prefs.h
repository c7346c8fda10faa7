/*
 * db/prefs: the history of what employees chose themselves on the
 * unsubscribe and preferences pages (table preference_events), for the
 * monthly review. Imports from HR are not choices and write nothing here.
 */
#ifndef CHORUS_DB_PREFS_H
#define CHORUS_DB_PREFS_H

#include <stdint.h>
#include <time.h>

struct db;

/* Records that the employee chose kind at `at`: "unsubscribed",
 * "resubscribed", or the frequency chosen ("daily", "weekdays", "weekly",
 * "paused"). Call it inside the transaction that makes the change, and
 * only when the value changed. Returns 0, or -1 after logging (also for
 * a kind the schema does not know). */
int	 db_prefs_event_add(struct db *, int64_t employee_id, const char *kind,
	    time_t at);

#endif
