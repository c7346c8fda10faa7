/*
 * ledger: queries of the send ledger and the runs table. Claims are one
 * UPSERT whose RETURNING row says whether this run got the digest, on
 * either store.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/ledger.h"
#include "db/pg.h"
#include "db/pgarr.h"
#include "db/stmt.h"

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
	struct db_q *q;
	enum db_q_step rc = DB_Q_DONE;
	int i = 0;

	if ((q = db_q(db, sql_employees)) == NULL)
		return -1;
	db_q_int64(q, 1, after);
	db_q_int64(q, 2, n);
	while (i < n && (rc = db_q_step(q)) == DB_Q_ROW) {
		out[i].id = db_q_col_int64(q, 0);
		copy(out[i].tz, sizeof(out[i].tz), db_q_col_text(q, 1));
		copy(out[i].send_time, sizeof(out[i].send_time),
		    db_q_col_text(q, 2));
		copy(out[i].frequency, sizeof(out[i].frequency),
		    db_q_col_text(q, 3));
		i++;
	}
	if (i < n && rc != DB_Q_DONE) {
		db_fail(db, "ledger: employees");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return i;
}

static const char sql_state_of[] =
    "SELECT state FROM ledger WHERE employee_id = ?1 AND local_date = ?2";

int
db_ledger_state_of(struct db *db, int64_t emp, const char *date)
{
	struct db_q *q;
	enum db_q_step rc;
	int s;

	if ((q = db_q(db, sql_state_of)) == NULL)
		return -1;
	db_q_int64(q, 1, emp);
	db_q_text(q, 2, date);
	rc = db_q_step(q);
	if (rc == DB_Q_DONE) {
		db_q_reset(q);
		return LEDGER_NONE;
	}
	if (rc != DB_Q_ROW) {
		db_fail(db, "ledger: state");
		db_q_reset(q);
		return -1;
	}
	s = state_parse(db_q_col_text(q, 0));
	db_q_reset(q);
	return s;
}

/* PostgreSQL: the pairs given as two arrays; the ordinal (from 1) of each
 * pair that has a row. */
static const char sql_have_rows[] =
    "SELECT u.i FROM unnest(CAST(?1 AS bigint[]), CAST(?2 AS text[])) "
    "WITH ORDINALITY AS u(emp, d, i) JOIN ledger l "
    "ON l.employee_id = u.emp AND l.local_date = u.d";

int
db_ledger_have_rows(struct db *db, const int64_t *emp,
    const char *const *dates, size_t n, unsigned char *has)
{
	struct pgarr ids, ds;
	const char *lids, *lds;
	struct db_q *q;
	enum db_q_step rc;
	int64_t k;
	size_t i;
	int st;

	memset(has, 0, n);
	if (n == 0)
		return 0;
	/* SQLite: a lookup in process costs less than building arrays. */
	if (!db_is_pg(db)) {
		for (i = 0; i < n; i++) {
			if ((st = db_ledger_state_of(db, emp[i],
			    dates[i])) == -1)
				return -1;
			has[i] = st != LEDGER_NONE;
		}
		return 0;
	}
	pgarr_init(&ids);
	pgarr_init(&ds);
	for (i = 0; i < n; i++) {
		pgarr_int(&ids, emp[i]);
		pgarr_text(&ds, dates[i]);
	}
	if ((lids = pgarr_end(&ids)) == NULL || (lds = pgarr_end(&ds)) == NULL)
		fatalx("ledger: out of memory");
	if ((q = db_q(db, sql_have_rows)) != NULL) {
		db_q_text(q, 1, lids);
		db_q_text(q, 2, lds);
	}
	pgarr_release(&ids);
	pgarr_release(&ds);
	if (q == NULL)
		return -1;
	while ((rc = db_q_step(q)) == DB_Q_ROW)
		if ((k = db_q_col_int64(q, 0)) >= 1 && (size_t)k <= n)
			has[k - 1] = 1;
	if (rc != DB_Q_DONE) {
		db_fail(db, "ledger: rows");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

/* On PostgreSQL a second run's upsert of the same (employee, date) waits
 * for the first's row lock, then checks the WHERE against the row the
 * first committed ('sending'): nothing is returned, the claim is one.
 * A row the claimer holds already is its own again (a batch claimed once
 * more after a lost connection, whose COMMIT may have passed). The
 * existing row is named by its table: PostgreSQL would find its columns
 * ambiguous beside excluded's. */
static const char sql_claim[] =
    "INSERT INTO ledger (employee_id, local_date, state, claimed_by, "
    "claimed_at, created_at, updated_at) "
    "VALUES (?1, ?2, 'sending', ?3, ?5, ?4, ?4) "
    "ON CONFLICT (employee_id, local_date) DO UPDATE SET "
    "state = 'sending', claimed_by = excluded.claimed_by, "
    "claimed_at = excluded.claimed_at, updated_at = excluded.updated_at "
    "WHERE ledger.state IN ('pending', 'failed_temp') "
    "OR (ledger.state = 'sending' AND "
    "ledger.claimed_by = excluded.claimed_by) "
    "RETURNING id, CASE WHEN message_id IS NULL THEN 0 ELSE 1 END";

struct db_q *
ledger_claim_q(struct db *db, int64_t emp, const char *date,
    const char *claimer, time_t now, time_t wall)
{
	struct db_q *q;

	if ((q = db_q(db, sql_claim)) == NULL)
		return NULL;
	db_q_int64(q, 1, emp);
	db_q_text(q, 2, date);
	db_q_text(q, 3, claimer);
	db_q_int64(q, 4, (int64_t)now);
	db_q_int64(q, 5, (int64_t)wall);
	return q;
}

int
db_ledger_claim(struct db *db, int64_t emp, const char *date,
    const char *claimer, time_t now, time_t wall, int64_t *id, int *planned)
{
	struct db_q *q;

	if ((q = ledger_claim_q(db, emp, date, claimer, now, wall)) == NULL)
		return -1;
	return ledger_claim_read(db, q, id, planned);
}

int
ledger_claim_read(struct db *db, struct db_q *q, int64_t *id, int *planned)
{
	enum db_q_step rc;

	rc = db_q_step(q);
	if (rc == DB_Q_DONE) {
		db_q_reset(q);
		return 0;
	}
	if (rc != DB_Q_ROW) {
		db_fail(db, "ledger: claim");
		db_q_reset(q);
		return -1;
	}
	*id = db_q_col_int64(q, 0);
	*planned = (int)db_q_col_int64(q, 1);
	/* Step to the end so the statement's write is complete. */
	return db_q_done(db, q, "ledger: claim") == -1 ? -1 : 1;
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
	struct db_q *q;
	enum db_q_step rc = DB_Q_DONE;
	int i = 0;

	q = db_q(db, since != NULL ? sql_retry_since : sql_retry_eq);
	if (q == NULL)
		return -1;
	db_q_text(q, 1, since != NULL ? since : date_eq);
	db_q_int64(q, 2, after);
	db_q_int64(q, 3, n);
	db_q_int64(q, 4, (int64_t)changed_by);
	while (i < n && (rc = db_q_step(q)) == DB_Q_ROW) {
		out[i].id = db_q_col_int64(q, 0);
		out[i].employee_id = db_q_col_int64(q, 1);
		copy(out[i].local_date, sizeof(out[i].local_date),
		    db_q_col_text(q, 2));
		i++;
	}
	if (i < n && rc != DB_Q_DONE) {
		db_fail(db, "ledger: retryable");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return i;
}

static const char sql_expire[] =
    "UPDATE ledger SET state = 'failed_perm', reply = ?2, updated_at = ?3 "
    "WHERE id = ?1 AND state IN ('pending', 'failed_temp')";
static const char sql_expire_posts[] =
    "DELETE FROM suggestions WHERE ledger_id = ?1";

int
db_ledger_expire(struct db *db, int64_t id, const char *reply, time_t now)
{
	struct db_q *q;

	if ((q = db_q(db, sql_expire)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	db_q_text(q, 2, reply);
	db_q_int64(q, 3, (int64_t)now);
	if (db_q_done(db, q, "ledger: expire") == -1)
		return -1;
	if (db_q_changes(q) == 0)
		return 0;	/* claimed by a run meanwhile */
	if ((q = db_q(db, sql_expire_posts)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	return db_q_done(db, q, "ledger: expire posts") == -1 ? -1 : 1;
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
	struct db_q *q;

	if ((q = db_q(db, sql_finish)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	db_q_text(q, 2, claimer);
	db_q_text(q, 3, db_ledger_state_name(state));
	db_q_text(q, 4, reply);
	db_q_int64(q, 5, attempt ? 1 : 0);
	db_q_int64(q, 6, (int64_t)now);
	if (db_q_done(db, q, "ledger: finish") == -1)
		return -1;
	if (db_q_changes(q) != 1) {
		log_warnx("ledger: row %lld is no longer claimed by this run",
		    (long long)id);
		return -2;
	}
	return 0;
}

/* PostgreSQL: the outcomes as arrays, one statement; the rows changed
 * come back. */
static const char sql_finish_many[] =
    "UPDATE ledger l SET state = u.state, reply = coalesce(u.reply, "
    "l.reply), attempts = l.attempts + u.att, updated_at = ?3, "
    "claimed_by = CASE WHEN u.state = 'sending' THEN l.claimed_by END, "
    "claimed_at = CASE WHEN u.state = 'sending' THEN l.claimed_at END "
    "FROM unnest(CAST(?1 AS bigint[]), CAST(?4 AS text[]), "
    "CAST(?5 AS text[]), CAST(?6 AS bigint[])) AS u(id, state, reply, att) "
    "WHERE l.id = u.id AND l.claimed_by = ?2 AND l.state = 'sending' "
    "RETURNING l.id";

static int
outcome_twice(const struct ledger_outcome *o, size_t n)
{
	size_t i, k;

	for (i = 1; i < n; i++)
		for (k = 0; k < i; k++)
			if (o[k].id == o[i].id)
				return 1;
	return 0;
}

int
db_ledger_finish_many(struct db *db, const char *claimer,
    struct ledger_outcome *o, size_t n, time_t now)
{
	struct pgarr a[4];
	const char *lit[4];
	struct db_q *q;
	enum db_q_step rc;
	int64_t id;
	size_t i, k;
	int r = -1;

	for (i = 0; i < n; i++)
		o[i].rc = -2;
	/* SQLite, and an id twice (never from the send loop), one at a
	 * time: an UPDATE ... FROM would change such a row once. */
	if (!db_is_pg(db) || outcome_twice(o, n)) {
		for (i = 0; i < n; i++)
			if ((o[i].rc = db_ledger_finish(db, o[i].id, claimer,
			    o[i].state, o[i].reply, o[i].attempt, now)) == -1)
				return -1;
		return 0;
	}
	if (n == 0)
		return 0;
	for (k = 0; k < 4; k++)
		pgarr_init(&a[k]);
	for (i = 0; i < n; i++) {
		pgarr_int(&a[0], o[i].id);
		pgarr_text(&a[1], db_ledger_state_name(o[i].state));
		pgarr_text(&a[2], o[i].reply);
		pgarr_int(&a[3], o[i].attempt ? 1 : 0);
	}
	for (k = 0; k < 4; k++)
		if ((lit[k] = pgarr_end(&a[k])) == NULL)
			fatalx("ledger: out of memory");
	if ((q = db_q(db, sql_finish_many)) == NULL)
		goto out;
	db_q_text(q, 1, lit[0]);
	db_q_text(q, 2, claimer);
	db_q_int64(q, 3, (int64_t)now);
	db_q_text(q, 4, lit[1]);
	db_q_text(q, 5, lit[2]);
	db_q_text(q, 6, lit[3]);
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		id = db_q_col_int64(q, 0);
		for (i = 0; i < n; i++)
			if (o[i].id == id)
				o[i].rc = 0;
	}
	if (rc != DB_Q_DONE) {
		db_fail(db, "ledger: finish");
		db_q_reset(q);
		goto out;
	}
	db_q_reset(q);
	for (i = 0; i < n; i++)
		if (o[i].rc == -2)
			log_warnx("ledger: row %lld is no longer claimed by "
			    "this run", (long long)o[i].id);
	r = 0;
out:
	for (k = 0; k < 4; k++)
		pgarr_release(&a[k]);
	return r;
}

static const char sql_claimers[] =
    "SELECT claimed_by, max(coalesce(claimed_at, 0)) FROM ledger "
    "WHERE state = 'sending' AND claimed_by IS NOT NULL "
    "GROUP BY claimed_by";

int
db_ledger_claimers(struct db *db, struct ledger_claimer **out, size_t *n)
{
	struct db_q *q;
	enum db_q_step rc;
	struct ledger_claimer *v = NULL;
	size_t len = 0;

	*out = NULL;
	*n = 0;
	if ((q = db_q(db, sql_claimers)) == NULL)
		return -1;
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		v = xreallocarray(v, len + 1, sizeof(*v));
		v[len].claimer = xstrdup(db_q_col_text(q, 0));
		v[len++].claimed_at = (time_t)db_q_col_int64(q, 1);
	}
	if (rc != DB_Q_DONE) {
		db_ledger_claimers_free(v, len);
		db_fail(db, "ledger: claimers");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	*out = v;
	*n = len;
	return 0;
}

void
db_ledger_claimers_free(struct ledger_claimer *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].claimer);
	free(v);
}

/* ?5: the rows not renewed since (on PostgreSQL a renewal committed
 * meanwhile is read again by the UPDATE, and keeps its row). */
static const char sql_release[] =
    "UPDATE ledger SET state = ?3, claimed_by = NULL, "
    "claimed_at = NULL, updated_at = ?2, reply = coalesce(?4, reply) "
    "WHERE claimed_by = ?1 AND state = 'sending' "
    "AND coalesce(claimed_at, 0) <= ?5";

static int
release(struct db *db, const char *claimer, enum ledger_state state,
    const char *reply, time_t seen, time_t now)
{
	struct db_q *q;

	if ((q = db_q(db, sql_release)) == NULL)
		return -1;
	db_q_text(q, 1, claimer);
	db_q_int64(q, 2, (int64_t)now);
	db_q_text(q, 3, db_ledger_state_name(state));
	db_q_text(q, 4, reply);
	db_q_int64(q, 5, (int64_t)seen);
	if (db_q_done(db, q, "ledger: release") == -1)
		return -1;
	return (int)db_q_changes(q);
}

int
db_ledger_release(struct db *db, const char *claimer, enum ledger_state state,
    const char *reply, time_t now)
{
	return release(db, claimer, state, reply, (time_t)INT64_MAX, now);
}

int
db_ledger_release_stale(struct db *db, const char *claimer, time_t seen,
    time_t now)
{
	return release(db, claimer, LEDGER_PENDING, NULL, seen, now);
}

static const char sql_renew[] =
    "UPDATE ledger SET claimed_at = ?2 "
    "WHERE claimed_by = ?1 AND state = 'sending'";

int
db_ledger_renew(struct db *db, const char *claimer, time_t now)
{
	struct db_q *q;

	if ((q = db_q(db, sql_renew)) == NULL)
		return -1;
	db_q_text(q, 1, claimer);
	db_q_int64(q, 2, (int64_t)now);
	if (db_q_done(db, q, "ledger: renew claims") == -1)
		return -1;
	return (int)db_q_changes(q);
}

static const char sql_schedules[] =
    "SELECT DISTINCT coalesce(timezone, ''), coalesce(send_time, ''), "
    "frequency FROM employees WHERE active = 1 "
    "AND unsubscribed_at IS NULL AND frequency != 'paused'";

int
db_ledger_each_schedule(struct db *db, int (*fn)(void *, const char *,
    const char *, const char *), void *arg)
{
	struct db_q *q;
	enum db_q_step rc;

	if ((q = db_q(db, sql_schedules)) == NULL)
		return -1;
	while ((rc = db_q_step(q)) == DB_Q_ROW)
		if (fn(arg, db_q_col_text(q, 0), db_q_col_text(q, 1),
		    db_q_col_text(q, 2)) != 0) {
			db_q_reset(q);
			return 0;
		}
	if (rc != DB_Q_DONE) {
		db_fail(db, "ledger: schedules");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

static const char sql_savepoint[] = "SAVEPOINT ledger_claim";
static const char sql_sp_release[] = "RELEASE ledger_claim";
static const char sql_sp_rollback[] = "ROLLBACK TO ledger_claim";

/*
 * A transaction of claims, on PostgreSQL, from its BEGIN to its end (SET
 * LOCAL; queued, sent with the next statement). What it runs, and the
 * foreign-key checks its inserts run (a digest's links and suggestions
 * check about thirty keys), looks rows up by their keys:
 * - each statement is planned once for any values (a generic plan):
 *   planning every run anew was a third of the server's work a digest;
 * - no plan scans a table whole where an index serves: the ledger,
 *   suggestions and links grow while a run writes them, and a generic
 *   plan made while they were small (the first run on a new store) would
 *   go on scanning them whole, a few rows more each digest.
 * The plans stay with the connection's statements; the statements run in
 * these transactions run nowhere else on the connection.
 */
static const char sql_keyed_plans[] =
    "SET LOCAL plan_cache_mode = force_generic_plan";
static const char sql_keyed_scans[] = "SET LOCAL enable_seqscan = off";

int
db_ledger_claims_begin(struct db *db)
{
	if (db->pg == NULL)
		return 0;
	return pg_later(db->pg, sql_keyed_plans) == 0 &&
	    pg_later(db->pg, sql_keyed_scans) == 0 ? 0 :
	    pg_fail(db->pg, "ledger: claims");
}

/* On PostgreSQL the savepoint and its release go with the next statement
 * (the claim), not in round trips of their own: a claimed digest's
 * RELEASE, the next one's SAVEPOINT and its claim are one. */
int
db_ledger_savepoint(struct db *db)
{
	if (db->pg != NULL)
		return pg_later(db->pg, sql_savepoint) == 0 ? 0 :
		    pg_fail(db->pg, "ledger: savepoint");
	return db_exec_prepared(db, sql_savepoint);
}

int
db_ledger_savepoint_release(struct db *db)
{
	if (db->pg != NULL)
		return pg_later(db->pg, sql_sp_release) == 0 ? 0 :
		    pg_fail(db->pg, "ledger: release");
	return db_exec_prepared(db, sql_sp_release);
}

int
db_ledger_savepoint_rollback(struct db *db)
{
	if (db_exec(db, sql_sp_rollback) == -1)
		return -1;
	return db_exec_prepared(db, sql_sp_release);
}

static const char sql_set_mid[] =
    "UPDATE ledger SET message_id = ?2, updated_at = ?3 WHERE id = ?1";

int
db_ledger_set_message_id(struct db *db, int64_t ledger_id, const char *msgid,
    time_t now)
{
	struct db_q *q;

	if ((q = db_q(db, sql_set_mid)) == NULL)
		return -1;
	db_q_int64(q, 1, ledger_id);
	db_q_text(q, 2, msgid);
	db_q_int64(q, 3, (int64_t)now);
	return db_q_later(db, q, "store Message-ID");
}

static const char sql_count[] =
    "SELECT count(*) FROM ledger WHERE local_date = ?1 AND state = ?2";

int
db_ledger_count(struct db *db, const char *date, enum ledger_state s)
{
	struct db_q *q;
	int n;

	if ((q = db_q(db, sql_count)) == NULL)
		return -1;
	db_q_text(q, 1, date);
	db_q_text(q, 2, db_ledger_state_name(s));
	if (db_q_step(q) != DB_Q_ROW) {
		db_fail(db, "ledger: count");
		db_q_reset(q);
		return -1;
	}
	n = (int)db_q_col_int64(q, 0);
	db_q_reset(q);
	return n;
}

static const char sql_run_start[] =
    "INSERT INTO runs (started_at, trigger) VALUES (?1, ?2) RETURNING id";

int64_t
db_ledger_run_start(struct db *db, const char *trigger, time_t now)
{
	struct db_q *q;
	int64_t id;

	if ((q = db_q(db, sql_run_start)) == NULL)
		return -1;
	db_q_int64(q, 1, (int64_t)now);
	db_q_text(q, 2, trigger);
	if (db_q_step(q) != DB_Q_ROW) {
		db_fail(db, "ledger: run start");
		db_q_reset(q);
		return -1;
	}
	id = db_q_col_int64(q, 0);
	if (db_q_done(db, q, "ledger: run start") == -1)
		return -1;
	return id;
}

static const char sql_run_finish[] =
    "UPDATE runs SET finished_at = ?2, sent = ?3, skipped = ?4, "
    "failed = ?5, status = ?6 WHERE id = ?1";

int
db_ledger_run_finish(struct db *db, int64_t run, time_t now, int sent,
    int skipped, int failed, int status)
{
	struct db_q *q;

	if ((q = db_q(db, sql_run_finish)) == NULL)
		return -1;
	db_q_int64(q, 1, run);
	db_q_int64(q, 2, (int64_t)now);
	db_q_int64(q, 3, sent);
	db_q_int64(q, 4, skipped);
	db_q_int64(q, 5, failed);
	db_q_int64(q, 6, status);
	return db_q_done(db, q, "ledger: run finish");
}

int
db_ledger_may_retry(struct db *db)
{
	return db_retryable(db);
}

int
db_ledger_conflict(struct db *db)
{
	int rc;

	if (db_is_pg(db))
		return pg_classify(pg_sqlstate(db->pg), 0) == PG_UNIQUE;
	rc = sqlite3_extended_errcode(db->h);
	return rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
	    rc == SQLITE_CONSTRAINT_UNIQUE;
}

int
db_ledger_reconnect(struct db *db)
{
	return db_revive(db);
}

int
db_ledger_one_host(struct db *db)
{
	return !db_is_pg(db);
}
