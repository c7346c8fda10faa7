/*
 * db/audience: reads and writes of audience_choices and audience_members
 * (migration 006). A choice reads every employee once; a digest reads its
 * employee's memberships by the primary key.
 */
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "db/audience.h"
#include "db/db_int.h"
#include "db/stmt.h"

static const char SQL_IS_CHOSEN[] =
    "SELECT 1 FROM audience_choices WHERE post_id = ?1";
/* One pass over employees by id; each subquery is an index lookup:
 * audience_members_last gives the max, the suggestions key the offer,
 * employee_roles' key the roles, employee_topics' the topics followed and
 * muted. Roles are header-safe text (import and the preferences page), so
 * a unit separator cannot be inside one; they are joined with it, in
 * the order of SQLite's keys (byte order). */
#define POOL(R, TF, TM) \
	"SELECT e.id, e.frequency, e.active, " \
	"CASE WHEN e.unsubscribed_at IS NULL THEN 0 ELSE 1 END, " \
	"(SELECT max(m.seq) FROM audience_members m " \
	"WHERE m.employee_id = e.id), " \
	"CASE WHEN EXISTS (SELECT 1 FROM suggestions s " \
	"WHERE s.employee_id = e.id AND s.post_id = ?1) " \
	"THEN 1 ELSE 0 END, (SELECT " R " FROM employee_roles r " \
	"WHERE r.employee_id = e.id), (SELECT " TF " FROM employee_topics t " \
	"WHERE t.employee_id = e.id AND t.choice = 'follow'), " \
	"(SELECT " TM " FROM employee_topics t " \
	"WHERE t.employee_id = e.id AND t.choice = 'mute') " \
	"FROM employees e ORDER BY e.id"
#define LITE_R	"group_concat(r.role, char(31))"
#define LITE_T	"group_concat(t.role, char(31))"
#define PG_R	"string_agg(r.role, chr(31) ORDER BY r.role COLLATE \"C\")"
#define PG_T	"string_agg(t.role, chr(31) ORDER BY t.role COLLATE \"C\")"
static const struct db_sql SQL_POOL = {
	POOL(LITE_R, LITE_T, LITE_T), POOL(PG_R, PG_T, PG_T),
};
/* A post's audience is chosen once: a run that finds the choice made
 * meanwhile (PostgreSQL: the other transaction's row, waited for) keeps
 * it and records nothing. */
static const char SQL_CHOICE_ADD[] =
    "INSERT INTO audience_choices (post_id, local_date, base, cap, chosen, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (post_id) DO NOTHING RETURNING id";
static const char SQL_MEMBER_ADD[] =
    "INSERT INTO audience_members (employee_id, post_id, choice_id, seq) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_OF[] =
    "SELECT post_id FROM audience_members WHERE employee_id = ?1 "
    "ORDER BY post_id";

int
db_audience_is_chosen(struct db *db, int64_t post_id)
{
	struct db_q *q;
	enum db_q_step rc;

	if ((q = db_q(db, SQL_IS_CHOSEN)) == NULL)
		return -1;
	db_q_int64(q, 1, post_id);
	rc = db_q_step(q);
	if (rc == DB_Q_ERROR)
		db_fail(db, "audience choice");
	db_q_reset(q);
	return rc == DB_Q_ROW ? 1 : rc == DB_Q_DONE ? 0 : -1;
}

void
db_audience_pool_free(struct db_audience_pool *pool)
{
	size_t i;

	for (i = 0; i < pool->n; i++)
		free(pool->v[i].rolebuf);
	free(pool->v);
	memset(pool, 0, sizeof(*pool));
}

/* Appends the roles of list (separated by unit separators; empty: none)
 * to p->rolebuf, each NUL-terminated. Returns their number. */
static size_t
audience_roles_add(struct db_audience_person *p, size_t *len,
    const char *list)
{
	size_t n, i, add = strlen(list);

	if (add == 0)
		return 0;
	p->rolebuf = xreallocarray(p->rolebuf, *len + add + 1, 1);
	memcpy(p->rolebuf + *len, list, add + 1);
	for (n = 1, i = *len; i < *len + add; i++)
		if (p->rolebuf[i] == '\037') {
			p->rolebuf[i] = '\0';
			n++;
		}
	*len += add + 1;
	return n;
}

int
db_audience_pool(struct db *db, int64_t post_id,
    struct db_audience_pool *out)
{
	struct db_audience_person *p;
	struct db_q *q;
	enum db_q_step rc;
	size_t len;

	db_audience_pool_free(out);
	if ((q = db_q_pair(db, &SQL_POOL)) == NULL)
		return -1;
	db_q_int64(q, 1, post_id);
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 256;
			out->v = xreallocarray(out->v, out->cap,
			    sizeof(*out->v));
		}
		p = &out->v[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = db_q_col_int64(q, 0);
		strncpy(p->frequency, db_q_col_text(q, 1),
		    sizeof(p->frequency) - 1);
		p->active = (int)db_q_col_int64(q, 2);
		p->unsubscribed = (int)db_q_col_int64(q, 3);
		p->last = db_q_col_int64(q, 4);
		p->offered = (int)db_q_col_int64(q, 5);
		len = 0;
		p->nroles = audience_roles_add(p, &len, db_q_col_text(q, 6));
		p->nfollows = audience_roles_add(p, &len,
		    db_q_col_text(q, 7));
		p->nmutes = audience_roles_add(p, &len, db_q_col_text(q, 8));
	}
	if (rc != DB_Q_DONE) {
		db_audience_pool_free(out);
		db_fail(db, "audience pool");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

int
db_audience_record(struct db *db, int64_t post_id, const char *date,
    long base, long cap, const int64_t *ids, size_t n, time_t now)
{
	struct db_q *q;
	enum db_q_step rc;
	int64_t choice;
	size_t i;

	if ((q = db_q(db, SQL_CHOICE_ADD)) == NULL)
		return -1;
	db_q_int64(q, 1, post_id);
	db_q_text(q, 2, date);
	db_q_int64(q, 3, base);
	db_q_int64(q, 4, cap);
	db_q_int64(q, 5, (int64_t)n);
	db_q_int64(q, 6, (int64_t)now);
	if ((rc = db_q_step(q)) == DB_Q_DONE) {
		db_q_reset(q);
		return 0;	/* chosen by another run */
	}
	if (rc != DB_Q_ROW) {
		db_fail(db, "record an audience choice");
		db_q_reset(q);
		return -1;
	}
	choice = db_q_col_int64(q, 0);
	if (db_q_done(db, q, "record an audience choice") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((q = db_q(db, SQL_MEMBER_ADD)) == NULL)
			return -1;
		db_q_int64(q, 1, ids[i]);
		db_q_int64(q, 2, post_id);
		db_q_int64(q, 3, choice);
		db_q_int64(q, 4, choice * DB_AUDIENCE_PLACES + (int64_t)i);
		if (db_q_done(db, q, "record an audience member") == -1)
			return -1;
	}
	return 0;
}

int
db_audience_of(struct db *db, int64_t employee_id, int64_t **ids, size_t *n,
    size_t *cap)
{
	struct db_q *q;
	enum db_q_step rc;

	*n = 0;
	if ((q = db_q(db, SQL_OF)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*ids = xreallocarray(*ids, *cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = db_q_col_int64(q, 0);
	}
	if (rc != DB_Q_DONE)
		db_fail(db, "audience memberships");
	db_q_reset(q);
	return rc == DB_Q_DONE ? 0 : -1;
}
