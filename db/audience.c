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

static const char SQL_IS_CHOSEN[] =
    "SELECT 1 FROM audience_choices WHERE post_id = ?1";
/* One pass over employees by id; each subquery is an index lookup:
 * audience_members_last gives the max, the suggestions key the offer,
 * employee_roles' key the roles, employee_topics' the topics followed and
 * muted. Roles are header-safe text (import and the preferences page), so
 * a unit separator cannot be inside one. */
static const char SQL_POOL[] =
    "SELECT e.id, e.frequency, e.active, e.unsubscribed_at IS NOT NULL, "
    "(SELECT max(m.seq) FROM audience_members m "
    "WHERE m.employee_id = e.id), "
    "EXISTS (SELECT 1 FROM suggestions s WHERE s.employee_id = e.id "
    "AND s.post_id = ?1), "
    "(SELECT group_concat(r.role, char(31)) FROM employee_roles r "
    "WHERE r.employee_id = e.id), "
    "(SELECT group_concat(t.role, char(31)) FROM employee_topics t "
    "WHERE t.employee_id = e.id AND t.choice = 'follow'), "
    "(SELECT group_concat(t.role, char(31)) FROM employee_topics t "
    "WHERE t.employee_id = e.id AND t.choice = 'mute') "
    "FROM employees e ORDER BY e.id";
static const char SQL_CHOICE_ADD[] =
    "INSERT INTO audience_choices (post_id, local_date, base, cap, chosen, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_MEMBER_ADD[] =
    "INSERT INTO audience_members (employee_id, post_id, choice_id, seq) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_OF[] =
    "SELECT post_id FROM audience_members WHERE employee_id = ?1 "
    "ORDER BY post_id";

int
db_audience_is_chosen(struct db *db, int64_t post_id)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, SQL_IS_CHOSEN)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, post_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(db, "audience choice");
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
	sqlite3_stmt *st;
	size_t len;
	int rc;

	db_audience_pool_free(out);
	if ((st = db_stmt(db, SQL_POOL)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, post_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 256;
			out->v = xreallocarray(out->v, out->cap,
			    sizeof(*out->v));
		}
		p = &out->v[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(st, 0);
		strncpy(p->frequency, db_col_text(st, 1),
		    sizeof(p->frequency) - 1);
		p->active = sqlite3_column_int(st, 2);
		p->unsubscribed = sqlite3_column_int(st, 3);
		p->last = sqlite3_column_int64(st, 4);
		p->offered = sqlite3_column_int(st, 5);
		len = 0;
		p->nroles = audience_roles_add(p, &len, db_col_text(st, 6));
		p->nfollows = audience_roles_add(p, &len, db_col_text(st, 7));
		p->nmutes = audience_roles_add(p, &len, db_col_text(st, 8));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_audience_pool_free(out);
		return db_fail(db, "audience pool");
	}
	return 0;
}

int
db_audience_record(struct db *db, int64_t post_id, const char *date,
    long base, long cap, const int64_t *ids, size_t n, time_t now)
{
	sqlite3_stmt *st;
	sqlite3_int64 choice;
	size_t i;

	if ((st = db_stmt(db, SQL_CHOICE_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, post_id);
	db_bind_text(st, 2, date);
	sqlite3_bind_int64(st, 3, base);
	sqlite3_bind_int64(st, 4, cap);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)n);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	if (db_step_done(db, st, "record an audience choice") == -1)
		return -1;
	choice = sqlite3_last_insert_rowid(db->h);
	for (i = 0; i < n; i++) {
		if ((st = db_stmt(db, SQL_MEMBER_ADD)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, post_id);
		sqlite3_bind_int64(st, 3, choice);
		sqlite3_bind_int64(st, 4, choice * DB_AUDIENCE_PLACES +
		    (sqlite3_int64)i);
		if (db_step_done(db, st, "record an audience member") == -1)
			return -1;
	}
	return 0;
}

int
db_audience_of(struct db *db, int64_t employee_id, int64_t **ids, size_t *n,
    size_t *cap)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((st = db_stmt(db, SQL_OF)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*ids = xreallocarray(*ids, *cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "audience memberships");
	return 0;
}
