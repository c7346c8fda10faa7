/*
 * db/digest: the reads and writes a digest's plan and render need, on
 * either store. Every statement comes from the prepared-statement cache,
 * so composing many digests prepares each query once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/digest.h"
#include "db/pg.h"
#include "db/stmt.h"

/* One text for both stores where it can; where not, a pair made from one
 * macro with each store's words: a post's day of creation in UTC
 * (CREATED), and text ordered byte-wise (C: PostgreSQL's COLLATE "C",
 * SQLite's BINARY). */
#define LITE_CREATED	"date(p.created_at, 'unixepoch')"
#define PG_CREATED \
	"to_char(to_timestamp(p.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
#define LITE_C	""
#define PG_C	" COLLATE \"C\""

#define EMP_COLUMNS \
	"SELECT id, email, name, timezone, networks, frequency, active, " \
	"CASE WHEN unsubscribed_at IS NULL THEN 0 ELSE 1 END, unsub_token, " \
	"pref_token FROM employees "
static const char SQL_EMP_BY_ID[] = EMP_COLUMNS "WHERE id = ?1";
static const char SQL_EMP_BY_EMAIL[] = EMP_COLUMNS "WHERE email = ?1";
/* HR's roles (0), then the roles followed (1) and muted (2), each list in
 * the order of the role (SQLite reads them in its keys' order). */
#define EMP_ROLES(HEAD, TAIL) \
	HEAD "SELECT 0 AS kind, role FROM employee_roles " \
	"WHERE employee_id = ?1 UNION ALL " \
	"SELECT CASE choice WHEN 'follow' THEN 1 ELSE 2 END, role " \
	"FROM employee_topics WHERE employee_id = ?1" TAIL
#define LITE_ROLES_HEAD	""
#define LITE_ROLES_TAIL	""
#define PG_ROLES_HEAD	"SELECT kind, role FROM ("
#define PG_ROLES_TAIL	") u ORDER BY kind, role COLLATE \"C\""
static const struct db_sql SQL_EMP_ROLES = {
	EMP_ROLES(LITE_ROLES_HEAD, LITE_ROLES_TAIL),
	EMP_ROLES(PG_ROLES_HEAD, PG_ROLES_TAIL),
};

#define POST_COLUMNS_BASE \
	"p.id, p.ext_id, p.title, p.url, p.summary, p.text, " \
	"p.text_linkedin, p.text_x, p.text_facebook, p.starts, p.expires, " \
	"p.priority, p.everyone, "
#define POST_COLUMNS(CREATED) \
	POST_COLUMNS_BASE "CASE WHEN p.starts > " CREATED " " \
	"THEN p.starts ELSE " CREATED " END, " \
	"p.audience_count, p.audience_hundredths, " \
	"CASE WHEN EXISTS (SELECT 1 FROM audience_choices a " \
	"WHERE a.post_id = p.id) THEN 1 ELSE 0 END "
/* A plan's posts: no availability or audience (only selection needs
 * them, and date() on every row is not free). */
#define POST_COLUMNS_PLANNED POST_COLUMNS_BASE "NULL, NULL, NULL, 0 "

#define CANDIDATES(CREATED, C) \
	"SELECT " POST_COLUMNS(CREATED) "FROM posts p " \
	"WHERE (p.starts IS NULL OR p.starts" C " <= ?1) " \
	"AND (p.expires IS NULL OR p.expires" C " >= ?1) ORDER BY p.id"
static const struct db_sql SQL_CANDIDATES = {
	CANDIDATES(LITE_CREATED, LITE_C), CANDIDATES(PG_CREATED, PG_C),
};
#define POST_ROLES(C) \
	"SELECT role FROM post_roles WHERE post_id = ?1 ORDER BY role" C
static const struct db_sql SQL_POST_ROLES = {
	POST_ROLES(LITE_C), POST_ROLES(PG_C),
};
static const char SQL_PLANNED[] =
    "SELECT " POST_COLUMNS_PLANNED "FROM suggestions s "
    "JOIN posts p ON p.id = s.post_id "
    "WHERE s.ledger_id = ?1 ORDER BY s.rank, p.id";
/* Sorted here, not by the statement: on PostgreSQL a plan made for any
 * employee while the table was empty (a claim's, db/ledger.c) would read
 * the post index whole to have them in order. */
static const char SQL_SUGGESTED[] =
    "SELECT post_id FROM suggestions WHERE employee_id = ?1";
static const char SQL_DECLINED[] =
    "SELECT post_id FROM declines WHERE employee_id = ?1";
static const char SQL_SUGGEST[] =
    "INSERT INTO suggestions (employee_id, post_id, ledger_id, local_date, "
    "rank) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_LEDGER_GET[] =
    "SELECT employee_id, local_date, message_id FROM ledger WHERE id = ?1";
static const char SQL_LEDGER_FIND[] =
    "SELECT id FROM ledger WHERE employee_id = ?1 AND local_date = ?2";
static const char SQL_LEDGER_OTHER[] =
    "SELECT 1 FROM ledger WHERE employee_id = ?1 AND local_date BETWEEN ?2 "
    "AND ?3 AND local_date <> ?4 LIMIT 1";
static const char SQL_LEDGER_ADD[] =
    "INSERT INTO ledger (employee_id, local_date, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?3) RETURNING id";
static const char SQL_PLANNED_LINKS[] =
    "SELECT l.post_id, l.network, l.code FROM suggestions s "
    "JOIN links l ON l.employee_id = s.employee_id "
    "AND l.post_id = s.post_id WHERE s.ledger_id = ?1";

int
db_digest_tune(struct db *db, long cache_kb, long wal_pages)
{
	char sql[96];

	/* The server's own settings on PostgreSQL. */
	if (db_is_pg(db))
		return 0;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%ld;"
	    "PRAGMA wal_autocheckpoint=%ld", cache_kb, wal_pages);
	return db_exec(db, sql);
}

/* A renderer's reads look rows up by key (the ledger row, its employee,
 * a plan's suggestions and links) while a run inserts thousands of ledger
 * rows. A plan made for any value while the ledger was nearly empty (the
 * first run on a new store) scanned it whole ever after: the read before
 * each message took 0.6 ms of the server by 10,000 digests, and grew.
 * Without whole-table scans where an index serves, the plans follow the
 * table as it grows; planning each read for its values instead cost
 * more than the scans did at 2,000 (bench/README.md). The reports'
 * roll-up it also reads has an index on its day and on its employee. */
static const char SQL_RENDER_SCANS[] = "SET enable_seqscan = off";

int
db_digest_render_tune(struct db *db)
{
	return db_is_pg(db) ? pg_session(db->pg, SQL_RENDER_SCANS) : 0;
}

static void
copy_text(char *dst, size_t len, struct db_q *q, int col)
{
	snprintf(dst, len, "%s", db_q_col_text(q, col));
}

/* Column text as a malloc'd string, NULL for SQL NULL. */
static char *
dup_or_null(struct db_q *q, int col)
{
	if (db_q_col_is_null(q, col))
		return NULL;
	return xstrdup(db_q_col_text(q, col));
}

/* Logs "db: what: ...", ends q's run and returns -1. */
static int
q_fail(struct db *db, struct db_q *q, const char *what)
{
	db_fail(db, what);
	db_q_reset(q);
	return -1;
}

void
db_digest_employee_clear(struct db_employee *e)
{
	free(e->name);
	free(e->timezone);
	e->name = e->timezone = NULL;
	e->nroles = e->nfollows = e->nmutes = 0;
	e->id = 0;
}

/* Reads the employee of q, then their roles from qr, bound to the same
 * id, or (qr NULL) from SQL_EMP_ROLES bound here. */
static int
db_digest_employee_load(struct db *db, struct db_q *q, struct db_q *qr,
    struct db_employee *e)
{
	const char **list;
	size_t used = 0, len, i, *np;
	enum db_q_step rc;

	rc = db_q_step(q);
	if (rc == DB_Q_DONE) {
		db_q_reset(q);
		if (qr != NULL)
			db_q_reset(qr);
		return 0;
	}
	if (rc != DB_Q_ROW) {
		if (qr != NULL)
			db_q_reset(qr);
		return q_fail(db, q, "employee");
	}
	db_digest_employee_clear(e);
	e->id = db_q_col_int64(q, 0);
	copy_text(e->email, sizeof(e->email), q, 1);
	e->name = xstrdup(db_q_col_text(q, 2));
	e->timezone = dup_or_null(q, 3);
	e->networks = (unsigned)db_q_col_int64(q, 4);
	copy_text(e->frequency, sizeof(e->frequency), q, 5);
	e->active = (int)db_q_col_int64(q, 6);
	e->unsubscribed = (int)db_q_col_int64(q, 7);
	copy_text(e->unsub_token, sizeof(e->unsub_token), q, 8);
	copy_text(e->pref_token, sizeof(e->pref_token), q, 9);
	/* Single-row reads are reset at once: a statement left on a row
	 * keeps a read snapshot open on the connection. */
	db_q_reset(q);

	if ((q = qr) == NULL) {
		if ((q = db_q_pair(db, &SQL_EMP_ROLES)) == NULL)
			return -1;
		db_q_int64(q, 1, e->id);
	}
	/* Roles go into one reusable buffer; offsets first, then pointers,
	 * since the buffer may move as it grows. */
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		const char *r = db_q_col_text(q, 1);

		switch (db_q_col_int64(q, 0)) {
		case 0:
			list = e->roles;
			np = &e->nroles;
			break;
		case 1:
			list = e->follows;
			np = &e->nfollows;
			break;
		default:
			list = e->mutes;
			np = &e->nmutes;
			break;
		}
		if (*np == DIGEST_MAX_ROLES)
			continue;
		len = strlen(r) + 1;
		if (used + len > e->rolebufsz) {
			e->rolebufsz = (used + len) * 2 + 64;
			e->rolebuf = xreallocarray(e->rolebuf, 1, e->rolebufsz);
		}
		memcpy(e->rolebuf + used, r, len);
		list[(*np)++] = (const char *)(uintptr_t)used;
		used += len;
	}
	if (rc != DB_Q_DONE)
		return q_fail(db, q, "employee roles");
	db_q_reset(q);
	for (i = 0; i < e->nroles; i++)
		e->roles[i] = e->rolebuf + (uintptr_t)e->roles[i];
	for (i = 0; i < e->nfollows; i++)
		e->follows[i] = e->rolebuf + (uintptr_t)e->follows[i];
	for (i = 0; i < e->nmutes; i++)
		e->mutes[i] = e->rolebuf + (uintptr_t)e->mutes[i];
	return 1;
}

int
db_digest_employee_by_id(struct db *db, int64_t id, struct db_employee *e)
{
	struct db_q *q;

	if ((q = db_q(db, SQL_EMP_BY_ID)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	return db_digest_employee_load(db, q, NULL, e);
}

int
db_digest_employee_by_email(struct db *db, const char *email,
    struct db_employee *e)
{
	struct db_q *q;

	if ((q = db_q(db, SQL_EMP_BY_EMAIL)) == NULL)
		return -1;
	db_q_text(q, 1, email);
	return db_digest_employee_load(db, q, NULL, e);
}

static void
db_post_free(struct db_post *p)
{
	size_t i;

	free(p->ext_id);
	free(p->title);
	free(p->url);
	free(p->summary);
	free(p->text);
	for (i = 0; i < NET_COUNT; i++)
		free(p->text_net[i]);
	free(p->starts);
	free(p->expires);
	free(p->available);
	for (i = 0; i < p->nroles; i++)
		free((char *)(uintptr_t)p->roles[i]);
	free(p->roles);
}

void
db_digest_posts_free(struct db_posts *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		db_post_free(&ps->v[i]);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

static int
db_digest_posts_load(struct db *db, struct db_q *q, struct db_posts *out)
{
	size_t cap = 0, i;
	enum db_q_step rc;

	db_digest_posts_free(out);
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		struct db_post *p;

		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xreallocarray(out->v, cap, sizeof(*out->v));
		}
		p = &out->v[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = db_q_col_int64(q, 0);
		p->ext_id = xstrdup(db_q_col_text(q, 1));
		p->title = xstrdup(db_q_col_text(q, 2));
		p->url = xstrdup(db_q_col_text(q, 3));
		p->summary = xstrdup(db_q_col_text(q, 4));
		p->text = xstrdup(db_q_col_text(q, 5));
		for (i = 0; i < NET_COUNT; i++)
			p->text_net[i] = dup_or_null(q, 6 + (int)i);
		p->starts = dup_or_null(q, 9);
		p->expires = dup_or_null(q, 10);
		p->priority = (long)db_q_col_int64(q, 11);
		p->everyone = (int)db_q_col_int64(q, 12);
		p->available = dup_or_null(q, 13);
		p->audience_count = (long)db_q_col_int64(q, 14);
		p->audience_hundredths = (long)db_q_col_int64(q, 15);
		p->audience_chosen = (int)db_q_col_int64(q, 16);
	}
	if (rc != DB_Q_DONE) {
		q_fail(db, q, "posts");
		db_digest_posts_free(out);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

int
db_digest_candidates(struct db *db, const char *date, struct db_posts *out)
{
	struct db_q *q;
	size_t i, cap;
	enum db_q_step rc;

	if ((q = db_q_pair(db, &SQL_CANDIDATES)) == NULL)
		return -1;
	db_q_text(q, 1, date);
	if (db_digest_posts_load(db, q, out) == -1)
		return -1;
	for (i = 0; i < out->n; i++) {
		struct db_post *p = &out->v[i];

		if (p->everyone)
			continue;
		if ((q = db_q_pair(db, &SQL_POST_ROLES)) == NULL)
			goto fail;
		db_q_int64(q, 1, p->id);
		cap = 0;
		while ((rc = db_q_step(q)) == DB_Q_ROW) {
			if (p->nroles == cap) {
				cap = cap ? cap * 2 : 4;
				p->roles = xreallocarray(p->roles, cap,
				    sizeof(*p->roles));
			}
			p->roles[p->nroles++] = xstrdup(db_q_col_text(q, 0));
		}
		if (rc != DB_Q_DONE) {
			q_fail(db, q, "post roles");
			goto fail;
		}
		db_q_reset(q);
	}
	return 0;
fail:
	db_digest_posts_free(out);
	return -1;
}

int
db_digest_planned(struct db *db, int64_t ledger_id, struct db_posts *out)
{
	struct db_q *q;

	if ((q = db_q(db, SQL_PLANNED)) == NULL)
		return -1;
	db_q_int64(q, 1, ledger_id);
	return db_digest_posts_load(db, q, out);
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The post ids q selects, ascending, into a reused array. */
static int
db_digest_ids_read(struct db *db, struct db_q *q, int64_t **ids, size_t *n,
    size_t *cap)
{
	enum db_q_step rc;
	size_t i;

	*n = 0;
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			*ids = xreallocarray(*ids, *cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = db_q_col_int64(q, 0);
	}
	if (rc != DB_Q_DONE)
		return q_fail(db, q, "suggestions");
	db_q_reset(q);
	/* SQLite reads them in its key's order: sorted already. */
	for (i = 1; i < *n && (*ids)[i - 1] < (*ids)[i]; i++)
		;
	if (i < *n)
		qsort(*ids, *n, sizeof(**ids), id_cmp);
	return 0;
}

/* The post ids sql selects for employee ?1, into a reused array. */
static int
db_digest_ids(struct db *db, const char *sql, int64_t employee_id,
    int64_t **ids, size_t *n, size_t *cap)
{
	struct db_q *q;

	*n = 0;
	if ((q = db_q(db, sql)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	return db_digest_ids_read(db, q, ids, n, cap);
}

int
db_digest_suggested(struct db *db, int64_t employee_id, int64_t **ids,
    size_t *n, size_t *cap)
{
	return db_digest_ids(db, SQL_SUGGESTED, employee_id, ids, n, cap);
}

int
db_digest_declined(struct db *db, int64_t employee_id, int64_t **ids,
    size_t *n, size_t *cap)
{
	return db_digest_ids(db, SQL_DECLINED, employee_id, ids, n, cap);
}

/* The four statements of a plan's reads, bound to the employee. */
static int
plan_inputs_bind(struct db *db, int64_t employee_id, struct db_q **q)
{
	int i;

	if ((q[0] = db_q(db, SQL_EMP_BY_ID)) == NULL ||
	    (q[1] = db_q_pair(db, &SQL_EMP_ROLES)) == NULL ||
	    (q[2] = db_q(db, SQL_SUGGESTED)) == NULL ||
	    (q[3] = db_q(db, SQL_DECLINED)) == NULL)
		return -1;
	for (i = 0; i < 4; i++)
		db_q_int64(q[i], 1, employee_id);
	return 0;
}

/* What they read, as db_digest_plan_inputs() returns it. */
static int
plan_inputs_read(struct db *db, struct db_q **q, struct db_employee *e,
    int64_t **sugg, size_t *nsugg, size_t *suggcap, int64_t **decl,
    size_t *ndecl, size_t *declcap)
{
	int rc;

	if ((rc = db_digest_employee_load(db, q[0], q[1], e)) != 1) {
		db_q_reset(q[2]);
		db_q_reset(q[3]);
		return rc;
	}
	if (db_digest_ids_read(db, q[2], sugg, nsugg, suggcap) == -1) {
		db_q_reset(q[3]);
		return -1;
	}
	if (db_digest_ids_read(db, q[3], decl, ndecl, declcap) == -1)
		return -1;
	return 1;
}

int
db_digest_plan_inputs(struct db *db, int64_t employee_id,
    struct db_employee *e, int64_t **sugg, size_t *nsugg, size_t *suggcap,
    int64_t **decl, size_t *ndecl, size_t *declcap)
{
	struct db_q *q[4];

	if (plan_inputs_bind(db, employee_id, q) == -1 ||
	    db_q_run_all(db, q, 4, "employee") == -1)
		return -1;
	return plan_inputs_read(db, q, e, sugg, nsugg, suggcap, decl, ndecl,
	    declcap);
}

int
db_digest_claim(struct db *db, int64_t employee_id, const char *date,
    const char *claimer, time_t now, time_t wall, int64_t *id, int *planned,
    struct db_employee *e, int64_t **sugg, size_t *nsugg, size_t *suggcap,
    int64_t **decl, size_t *ndecl, size_t *declcap, int *read)
{
	struct db_q *q[5];
	int r, i, failed = 0;

	*read = 0;
	if ((q[0] = ledger_claim_q(db, employee_id, date, claimer, now,
	    wall)) == NULL || plan_inputs_bind(db, employee_id, q + 1) == -1)
		return -1;
	if (db_q_run_all(db, q, 5, "claim and plan") == -1) {
		/* The claim failed, or it may pass when tried again: the
		 * batch's failure, as a claim's always was. */
		if (!db_q_ran(q[0]) || db_retryable(db)) {
			for (i = 0; i < 5; i++)
				db_q_reset(q[i]);
			return -1;
		}
		failed = 1;
	}
	if ((r = ledger_claim_read(db, q[0], id, planned)) != 1 || *planned ||
	    failed) {
		for (i = 1; i < 5; i++)
			db_q_reset(q[i]);
		/* A read that failed after a new claim is that digest's
		 * failure, as it was when planning read it. */
		if (failed && r == 1 && !*planned)
			*read = -1;
		else if (failed)
			r = -1;
		return r;
	}
	if ((i = plan_inputs_read(db, q + 1, e, sugg, nsugg, suggcap, decl,
	    ndecl, declcap)) == -1) {
		for (i = 1; i < 5; i++)
			db_q_reset(q[i]);
		*read = -1;
		return 1;
	}
	*read = i == 1;
	return 1;
}

int
db_digest_suggest(struct db *db, int64_t employee_id, int64_t post_id,
    int64_t ledger_id, const char *date, int rank)
{
	struct db_q *q;

	if ((q = db_q(db, SQL_SUGGEST)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_int64(q, 2, post_id);
	db_q_int64(q, 3, ledger_id);
	db_q_text(q, 4, date);
	db_q_int64(q, 5, rank);
	return db_q_later(db, q, "record suggestion");
}

static const char SQL_UNWANTED[] =
    "SELECT 1 FROM ledger l JOIN employees e ON e.id = l.employee_id "
    "WHERE l.id = ?1 AND NOT (e.active = 1 AND e.unsubscribed_at IS NULL "
    "AND e.frequency <> 'paused')";

int
db_digest_unwanted(struct db *db, int64_t ledger_id)
{
	struct db_q *q;
	enum db_q_step rc;

	if ((q = db_q(db, SQL_UNWANTED)) == NULL)
		return -1;
	db_q_int64(q, 1, ledger_id);
	rc = db_q_step(q);
	if (rc != DB_Q_ROW && rc != DB_Q_DONE)
		return q_fail(db, q, "employee");
	db_q_reset(q);
	return rc == DB_Q_ROW;
}

int
db_digest_ledger_get(struct db *db, int64_t ledger_id, int64_t *employee_id,
    char *date, size_t datelen, char *msgid, size_t msgidlen)
{
	struct db_q *q;
	enum db_q_step rc;

	if ((q = db_q(db, SQL_LEDGER_GET)) == NULL)
		return -1;
	db_q_int64(q, 1, ledger_id);
	if ((rc = db_q_step(q)) == DB_Q_DONE) {
		db_q_reset(q);
		return 0;
	}
	if (rc != DB_Q_ROW)
		return q_fail(db, q, "ledger row");
	*employee_id = db_q_col_int64(q, 0);
	copy_text(date, datelen, q, 1);
	copy_text(msgid, msgidlen, q, 2);
	db_q_reset(q);
	return 1;
}

int
db_digest_ledger_find(struct db *db, int64_t employee_id, const char *date,
    int64_t *ledger_id)
{
	struct db_q *q;
	enum db_q_step rc;

	if ((q = db_q(db, SQL_LEDGER_FIND)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_text(q, 2, date);
	if ((rc = db_q_step(q)) == DB_Q_DONE) {
		db_q_reset(q);
		return 0;
	}
	if (rc != DB_Q_ROW)
		return q_fail(db, q, "ledger row");
	*ledger_id = db_q_col_int64(q, 0);
	db_q_reset(q);
	return 1;
}

int
db_digest_ledger_other(struct db *db, int64_t employee_id, const char *from,
    const char *to, const char *except)
{
	struct db_q *q;
	enum db_q_step rc;

	if ((q = db_q(db, SQL_LEDGER_OTHER)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_text(q, 2, from);
	db_q_text(q, 3, to);
	db_q_text(q, 4, except);
	rc = db_q_step(q);
	if (rc == DB_Q_ERROR)
		return q_fail(db, q, "ledger rows of the week");
	db_q_reset(q);
	return rc == DB_Q_ROW;
}

int
db_digest_ledger_add(struct db *db, int64_t employee_id, const char *date,
    time_t now, int64_t *ledger_id)
{
	struct db_q *q;

	if ((q = db_q(db, SQL_LEDGER_ADD)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_text(q, 2, date);
	db_q_int64(q, 3, (int64_t)now);
	if (db_q_step(q) != DB_Q_ROW)
		return q_fail(db, q, "add ledger row");
	*ledger_id = db_q_col_int64(q, 0);
	return db_q_done(db, q, "add ledger row");
}

int
db_digest_planned_links(struct db *db, int64_t ledger_id,
    struct db_planned_link **links, size_t *n, size_t *cap)
{
	struct db_q *q;
	enum db_q_step rc;
	int net;

	*n = 0;
	if ((q = db_q(db, SQL_PLANNED_LINKS)) == NULL)
		return -1;
	db_q_int64(q, 1, ledger_id);
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		struct db_planned_link *l;

		if ((net = network_from_name(db_q_col_text(q, 1))) < 0)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*links = xreallocarray(*links, *cap, sizeof(**links));
		}
		l = &(*links)[(*n)++];
		l->post_id = db_q_col_int64(q, 0);
		l->network = (enum network)net;
		copy_text(l->code, sizeof(l->code), q, 2);
	}
	if (rc != DB_Q_DONE)
		return q_fail(db, q, "planned links");
	db_q_reset(q);
	return 0;
}
