/*
 * db/digest: the reads and writes a digest's plan and render need. Every
 * statement comes from the prepared-statement cache, so composing many
 * digests prepares each query once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/digest.h"

static const char SQL_EMP_BY_ID[] =
    "SELECT id, email, name, timezone, networks, frequency, active, "
    "unsubscribed_at IS NOT NULL, unsub_token, pref_token "
    "FROM employees WHERE id = ?1";
static const char SQL_EMP_BY_EMAIL[] =
    "SELECT id, email, name, timezone, networks, frequency, active, "
    "unsubscribed_at IS NOT NULL, unsub_token, pref_token "
    "FROM employees WHERE email = ?1";
/* HR's roles (0), then the roles followed (1) and muted (2). */
static const char SQL_EMP_ROLES[] =
    "SELECT 0, role FROM employee_roles WHERE employee_id = ?1 "
    "UNION ALL SELECT CASE choice WHEN 'follow' THEN 1 ELSE 2 END, role "
    "FROM employee_topics WHERE employee_id = ?1";

#define POST_COLUMNS_BASE \
    "p.id, p.ext_id, p.title, p.url, p.summary, p.text, p.text_linkedin, " \
    "p.text_x, p.text_facebook, p.starts, p.expires, p.priority, " \
    "p.everyone, "
#define POST_COLUMNS POST_COLUMNS_BASE \
    "CASE WHEN p.starts > date(p.created_at, 'unixepoch') " \
    "THEN p.starts ELSE date(p.created_at, 'unixepoch') END, " \
    "p.audience_count, p.audience_hundredths, " \
    "EXISTS (SELECT 1 FROM audience_choices a WHERE a.post_id = p.id) "
/* A plan's posts: no availability or audience (only selection needs
 * them, and date() on every row is not free). */
#define POST_COLUMNS_PLANNED POST_COLUMNS_BASE "NULL, NULL, NULL, 0 "

static const char SQL_CANDIDATES[] =
    "SELECT " POST_COLUMNS "FROM posts p "
    "WHERE (p.starts IS NULL OR p.starts <= ?1) "
    "AND (p.expires IS NULL OR p.expires >= ?1) ORDER BY p.id";
static const char SQL_POST_ROLES[] =
    "SELECT role FROM post_roles WHERE post_id = ?1 ORDER BY role";
static const char SQL_PLANNED[] =
    "SELECT " POST_COLUMNS_PLANNED "FROM suggestions s "
    "JOIN posts p ON p.id = s.post_id "
    "WHERE s.ledger_id = ?1 ORDER BY s.rank, p.id";
static const char SQL_SUGGESTED[] =
    "SELECT post_id FROM suggestions WHERE employee_id = ?1 "
    "ORDER BY post_id";
static const char SQL_DECLINED[] =
    "SELECT post_id FROM declines WHERE employee_id = ?1 ORDER BY post_id";
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
    "VALUES (?1, ?2, ?3, ?3)";
static const char SQL_PLANNED_LINKS[] =
    "SELECT l.post_id, l.network, l.code FROM suggestions s "
    "JOIN links l ON l.employee_id = s.employee_id "
    "AND l.post_id = s.post_id WHERE s.ledger_id = ?1";

int
db_digest_tune(struct db *db, long cache_kb, long wal_pages)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%ld;"
	    "PRAGMA wal_autocheckpoint=%ld", cache_kb, wal_pages);
	return db_exec(db, sql);
}

static void
copy_text(char *dst, size_t len, sqlite3_stmt *st, int col)
{
	snprintf(dst, len, "%s", db_col_text(st, col));
}

/* Column text as a malloc'd string, NULL for SQL NULL. */
static char *
dup_or_null(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	return xstrdup(db_col_text(st, col));
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

static int
db_digest_employee_load(struct db *db, sqlite3_stmt *st,
    struct db_employee *e)
{
	const char **list;
	size_t used = 0, len, i, *np;
	int rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, "employee");
	db_digest_employee_clear(e);
	e->id = sqlite3_column_int64(st, 0);
	copy_text(e->email, sizeof(e->email), st, 1);
	e->name = xstrdup(db_col_text(st, 2));
	e->timezone = dup_or_null(st, 3);
	e->networks = (unsigned)sqlite3_column_int(st, 4);
	copy_text(e->frequency, sizeof(e->frequency), st, 5);
	e->active = sqlite3_column_int(st, 6);
	e->unsubscribed = sqlite3_column_int(st, 7);
	copy_text(e->unsub_token, sizeof(e->unsub_token), st, 8);
	copy_text(e->pref_token, sizeof(e->pref_token), st, 9);
	/* Single-row reads are reset at once: a statement left on a row
	 * keeps a read snapshot open on the connection. */
	sqlite3_reset(st);

	if ((st = db_stmt(db, SQL_EMP_ROLES)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, e->id);
	/* Roles go into one reusable buffer; offsets first, then pointers,
	 * since the buffer may move as it grows. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *r = db_col_text(st, 1);

		switch (sqlite3_column_int(st, 0)) {
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
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "employee roles");
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
	sqlite3_stmt *st;

	if ((st = db_stmt(db, SQL_EMP_BY_ID)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_digest_employee_load(db, st, e);
}

int
db_digest_employee_by_email(struct db *db, const char *email,
    struct db_employee *e)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, SQL_EMP_BY_EMAIL)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	return db_digest_employee_load(db, st, e);
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
db_digest_posts_load(struct db *db, sqlite3_stmt *st, struct db_posts *out)
{
	size_t cap = 0, i;
	int rc;

	db_digest_posts_free(out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_post *p;

		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xreallocarray(out->v, cap, sizeof(*out->v));
		}
		p = &out->v[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(st, 0);
		p->ext_id = xstrdup(db_col_text(st, 1));
		p->title = xstrdup(db_col_text(st, 2));
		p->url = xstrdup(db_col_text(st, 3));
		p->summary = xstrdup(db_col_text(st, 4));
		p->text = xstrdup(db_col_text(st, 5));
		for (i = 0; i < NET_COUNT; i++)
			p->text_net[i] = dup_or_null(st, 6 + (int)i);
		p->starts = dup_or_null(st, 9);
		p->expires = dup_or_null(st, 10);
		p->priority = (long)sqlite3_column_int64(st, 11);
		p->everyone = sqlite3_column_int(st, 12);
		p->available = dup_or_null(st, 13);
		p->audience_count = (long)sqlite3_column_int64(st, 14);
		p->audience_hundredths = (long)sqlite3_column_int64(st, 15);
		p->audience_chosen = sqlite3_column_int(st, 16);
	}
	if (rc != SQLITE_DONE) {
		db_fail(db, "posts");
		sqlite3_reset(st);
		db_digest_posts_free(out);
		return -1;
	}
	return 0;
}

int
db_digest_candidates(struct db *db, const char *date, struct db_posts *out)
{
	sqlite3_stmt *st;
	size_t i, cap;
	int rc;

	if ((st = db_stmt(db, SQL_CANDIDATES)) == NULL)
		return -1;
	db_bind_text(st, 1, date);
	if (db_digest_posts_load(db, st, out) == -1)
		return -1;
	for (i = 0; i < out->n; i++) {
		struct db_post *p = &out->v[i];

		if (p->everyone)
			continue;
		if ((st = db_stmt(db, SQL_POST_ROLES)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, p->id);
		cap = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (p->nroles == cap) {
				cap = cap ? cap * 2 : 4;
				p->roles = xreallocarray(p->roles, cap,
				    sizeof(*p->roles));
			}
			p->roles[p->nroles++] = xstrdup(db_col_text(st, 0));
		}
		if (rc != SQLITE_DONE) {
			db_fail(db, "post roles");
			sqlite3_reset(st);
			goto fail;
		}
	}
	return 0;
fail:
	db_digest_posts_free(out);
	return -1;
}

int
db_digest_planned(struct db *db, int64_t ledger_id, struct db_posts *out)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, SQL_PLANNED)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, ledger_id);
	return db_digest_posts_load(db, st, out);
}

/* The post ids sql selects for employee ?1, into a reused array. */
static int
db_digest_ids(struct db *db, const char *sql, int64_t employee_id,
    int64_t **ids, size_t *n, size_t *cap)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			*ids = xreallocarray(*ids, *cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE)
		return db_fail(db, "suggestions");
	return 0;
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

int
db_digest_suggest(struct db *db, int64_t employee_id, int64_t post_id,
    int64_t ledger_id, const char *date, int rank)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, SQL_SUGGEST)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	sqlite3_bind_int64(st, 2, post_id);
	sqlite3_bind_int64(st, 3, ledger_id);
	db_bind_text(st, 4, date);
	sqlite3_bind_int(st, 5, rank);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, "record suggestion");
	return 0;
}

int
db_digest_ledger_get(struct db *db, int64_t ledger_id, int64_t *employee_id,
    char *date, size_t datelen, char *msgid, size_t msgidlen)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, SQL_LEDGER_GET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, ledger_id);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, "ledger row");
	*employee_id = sqlite3_column_int64(st, 0);
	copy_text(date, datelen, st, 1);
	copy_text(msgid, msgidlen, st, 2);
	sqlite3_reset(st);
	return 1;
}

int
db_digest_ledger_find(struct db *db, int64_t employee_id, const char *date,
    int64_t *ledger_id)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, SQL_LEDGER_FIND)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	db_bind_text(st, 2, date);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, "ledger row");
	*ledger_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 1;
}

int
db_digest_ledger_other(struct db *db, int64_t employee_id, const char *from,
    const char *to, const char *except)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, SQL_LEDGER_OTHER)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_text(st, 4, except);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_fail(db, "ledger rows of the week");
	return 0;
}

int
db_digest_ledger_add(struct db *db, int64_t employee_id, const char *date,
    time_t now, int64_t *ledger_id)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, SQL_LEDGER_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	db_bind_text(st, 2, date);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, "add ledger row");
	*ledger_id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int
db_digest_planned_links(struct db *db, int64_t ledger_id,
    struct db_planned_link **links, size_t *n, size_t *cap)
{
	sqlite3_stmt *st;
	int rc, net;

	*n = 0;
	if ((st = db_stmt(db, SQL_PLANNED_LINKS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, ledger_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_planned_link *l;

		if ((net = network_from_name(db_col_text(st, 1))) < 0)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*links = xreallocarray(*links, *cap, sizeof(**links));
		}
		l = &(*links)[(*n)++];
		l->post_id = sqlite3_column_int64(st, 0);
		l->network = (enum network)net;
		copy_text(l->code, sizeof(l->code), st, 2);
	}
	if (rc != SQLITE_DONE)
		return db_fail(db, "planned links");
	return 0;
}
