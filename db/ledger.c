/*
 * ledger: queries of the send ledger and the runs table. Claims are one
 * UPSERT whose RETURNING row says whether this run got the digest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/ledger.h"

static const char *state_names[] = {
	[LEDGER_PENDING] = "pending",
	[LEDGER_SENDING] = "sending",
	[LEDGER_SENT] = "sent",
	[LEDGER_SKIPPED] = "skipped",
	[LEDGER_FAILED_TEMP] = "failed_temp",
	[LEDGER_FAILED_PERM] = "failed_perm",
	[LEDGER_NONE] = "none",
};

const char *
db_ledger_state_name(enum ledger_state s)
{
	if ((size_t)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "?";
	return state_names[s];
}

static int
state_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(state_names[i], s) == 0)
			return (int)i;
	return -1;
}

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

static const char sql_employees[] =
    "SELECT id, coalesce(timezone, ''), coalesce(send_time, ''), frequency "
    "FROM employees WHERE id > ?1 AND active = 1 "
    "AND unsubscribed_at IS NULL AND frequency != 'paused' "
    "ORDER BY id LIMIT ?2";

int
db_ledger_employees(struct db *db, int64_t after, struct ledger_employee *out,
    int n)
{
	sqlite3_stmt *st;
	int i = 0, rc = SQLITE_DONE;

	if ((st = db_stmt(db, sql_employees)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, n);
	while (i < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out[i].id = sqlite3_column_int64(st, 0);
		copy(out[i].tz, sizeof(out[i].tz), db_col_text(st, 1));
		copy(out[i].send_time, sizeof(out[i].send_time),
		    db_col_text(st, 2));
		copy(out[i].frequency, sizeof(out[i].frequency),
		    db_col_text(st, 3));
		i++;
	}
	if (i < n && rc != SQLITE_DONE)
		return db_fail(db, "ledger: employees");
	sqlite3_reset(st);
	return i;
}

static const char sql_state_of[] =
    "SELECT state FROM ledger WHERE employee_id = ?1 AND local_date = ?2";

int
db_ledger_state_of(struct db *db, int64_t emp, const char *date)
{
	sqlite3_stmt *st;
	int rc, s;

	if ((st = db_stmt(db, sql_state_of)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, emp);
	db_bind_text(st, 2, date);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return LEDGER_NONE;
	if (rc != SQLITE_ROW)
		return db_fail(db, "ledger: state");
	s = state_parse(db_col_text(st, 0));
	sqlite3_reset(st);
	return s;
}

static const char sql_claim[] =
    "INSERT INTO ledger (employee_id, local_date, state, claimed_by, "
    "claimed_at, created_at, updated_at) "
    "VALUES (?1, ?2, 'sending', ?3, ?4, ?4, ?4) "
    "ON CONFLICT (employee_id, local_date) DO UPDATE SET "
    "state = 'sending', claimed_by = excluded.claimed_by, "
    "claimed_at = excluded.claimed_at, updated_at = excluded.updated_at "
    "WHERE state IN ('pending', 'failed_temp') "
    "RETURNING id, message_id IS NOT NULL";

int
db_ledger_claim(struct db *db, int64_t emp, const char *date,
    const char *claimer, time_t now, int64_t *id, int *planned)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_claim)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, emp);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, claimer);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, "ledger: claim");
	*id = sqlite3_column_int64(st, 0);
	*planned = sqlite3_column_int(st, 1);
	/* Step to the end so the statement's write is complete. */
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "ledger: claim");
	return 1;
}

static const char sql_retry_since[] =
    "SELECT l.id, l.employee_id, l.local_date FROM ledger l "
    "JOIN employees e ON e.id = l.employee_id "
    "WHERE (l.state = 'pending' OR (l.state = 'failed_temp' AND "
    "l.updated_at <= ?4)) AND l.local_date >= ?1 AND l.id > ?2 "
    "AND e.active = 1 AND e.unsubscribed_at IS NULL "
    "AND e.frequency != 'paused' ORDER BY l.id LIMIT ?3";
static const char sql_retry_eq[] =
    "SELECT l.id, l.employee_id, l.local_date FROM ledger l "
    "JOIN employees e ON e.id = l.employee_id "
    "WHERE (l.state = 'pending' OR (l.state = 'failed_temp' AND "
    "l.updated_at <= ?4)) AND l.local_date = ?1 AND l.id > ?2 "
    "AND e.active = 1 AND e.unsubscribed_at IS NULL "
    "AND e.frequency != 'paused' ORDER BY l.id LIMIT ?3";

int
db_ledger_retryable(struct db *db, const char *since, const char *date_eq,
    time_t changed_by, int64_t after, struct ledger_row *out, int n)
{
	sqlite3_stmt *st;
	int i = 0, rc = SQLITE_DONE;

	st = db_stmt(db, since != NULL ? sql_retry_since : sql_retry_eq);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, since != NULL ? since : date_eq);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int(st, 3, n);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)changed_by);
	while (i < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out[i].id = sqlite3_column_int64(st, 0);
		out[i].employee_id = sqlite3_column_int64(st, 1);
		copy(out[i].local_date, sizeof(out[i].local_date),
		    db_col_text(st, 2));
		i++;
	}
	if (i < n && rc != SQLITE_DONE)
		return db_fail(db, "ledger: retryable");
	sqlite3_reset(st);
	return i;
}

static const char sql_finish[] =
    "UPDATE ledger SET state = ?3, reply = coalesce(?4, reply), "
    "attempts = attempts + ?5, updated_at = ?6, "
    "claimed_by = CASE WHEN ?3 = 'sending' THEN claimed_by END, "
    "claimed_at = CASE WHEN ?3 = 'sending' THEN claimed_at END "
    "WHERE id = ?1 AND claimed_by = ?2 AND state = 'sending'";

int
db_ledger_finish(struct db *db, int64_t id, const char *claimer,
    enum ledger_state state, const char *reply, int attempt, time_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_finish)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, claimer);
	db_bind_text(st, 3, db_ledger_state_name(state));
	db_bind_text(st, 4, reply);
	sqlite3_bind_int(st, 5, attempt ? 1 : 0);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, "ledger: finish");
	if (sqlite3_changes(db->h) != 1) {
		log_warnx("ledger: row %lld is no longer claimed by this run",
		    (long long)id);
		return -1;
	}
	return 0;
}

static const char sql_claimers[] =
    "SELECT DISTINCT claimed_by FROM ledger "
    "WHERE state = 'sending' AND claimed_by IS NOT NULL";

int
db_ledger_claimers(struct db *db, char ***out, size_t *n)
{
	sqlite3_stmt *st;
	char **v = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_stmt(db, sql_claimers)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, len + 1, sizeof(*v));
		v[len++] = xstrdup(db_col_text(st, 0));
	}
	if (rc != SQLITE_DONE) {
		db_ledger_claimers_free(v, len);
		return db_fail(db, "ledger: claimers");
	}
	*out = v;
	*n = len;
	return 0;
}

void
db_ledger_claimers_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const char sql_release[] =
    "UPDATE ledger SET state = ?3, claimed_by = NULL, "
    "claimed_at = NULL, updated_at = ?2, reply = coalesce(?4, reply) "
    "WHERE claimed_by = ?1 AND state = 'sending'";

int
db_ledger_release(struct db *db, const char *claimer, enum ledger_state state,
    const char *reply, time_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_release)) == NULL)
		return -1;
	db_bind_text(st, 1, claimer);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	db_bind_text(st, 3, db_ledger_state_name(state));
	db_bind_text(st, 4, reply);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, "ledger: release");
	return sqlite3_changes(db->h);
}

static const char sql_schedules[] =
    "SELECT DISTINCT coalesce(timezone, ''), coalesce(send_time, ''), "
    "frequency FROM employees WHERE active = 1 "
    "AND unsubscribed_at IS NULL AND frequency != 'paused'";

int
db_ledger_each_schedule(struct db *db, int (*fn)(void *, const char *,
    const char *, const char *), void *arg)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_schedules)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(arg, db_col_text(st, 0), db_col_text(st, 1),
		    db_col_text(st, 2)) != 0) {
			sqlite3_reset(st);
			return 0;
		}
	if (rc != SQLITE_DONE)
		return db_fail(db, "ledger: schedules");
	return 0;
}

static const char sql_savepoint[] = "SAVEPOINT ledger_claim";
static const char sql_sp_release[] = "RELEASE ledger_claim";

int
db_ledger_savepoint(struct db *db)
{
	return db_exec_prepared(db, sql_savepoint);
}

int
db_ledger_savepoint_release(struct db *db)
{
	return db_exec_prepared(db, sql_sp_release);
}

int
db_ledger_savepoint_rollback(struct db *db)
{
	if (db_exec(db, "ROLLBACK TO ledger_claim") == -1)
		return -1;
	return db_exec_prepared(db, sql_sp_release);
}

static const char sql_set_mid[] =
    "UPDATE ledger SET message_id = ?2, updated_at = ?3 WHERE id = ?1";

int
db_ledger_set_message_id(struct db *db, int64_t ledger_id, const char *msgid,
    time_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_set_mid)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, ledger_id);
	db_bind_text(st, 2, msgid);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, "store Message-ID");
	return 0;
}

static const char sql_count[] =
    "SELECT count(*) FROM ledger WHERE local_date = ?1 AND state = ?2";

int
db_ledger_count(struct db *db, const char *date, enum ledger_state s)
{
	sqlite3_stmt *st;
	int n;

	if ((st = db_stmt(db, sql_count)) == NULL)
		return -1;
	db_bind_text(st, 1, date);
	db_bind_text(st, 2, db_ledger_state_name(s));
	if (sqlite3_step(st) != SQLITE_ROW)
		return db_fail(db, "ledger: count");
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

static const char sql_run_start[] =
    "INSERT INTO runs (started_at, trigger) VALUES (?1, ?2)";

int64_t
db_ledger_run_start(struct db *db, const char *trigger, time_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_run_start)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	db_bind_text(st, 2, trigger);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, "ledger: run start");
	return sqlite3_last_insert_rowid(db->h);
}

static const char sql_run_finish[] =
    "UPDATE runs SET finished_at = ?2, sent = ?3, skipped = ?4, "
    "failed = ?5, status = ?6 WHERE id = ?1";

int
db_ledger_run_finish(struct db *db, int64_t run, time_t now, int sent,
    int skipped, int failed, int status)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_run_finish)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int(st, 3, sent);
	sqlite3_bind_int(st, 4, skipped);
	sqlite3_bind_int(st, 5, failed);
	sqlite3_bind_int(st, 6, status);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, "ledger: run finish");
	return 0;
}
