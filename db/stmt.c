/*
 * stmt: the store-neutral cursor of db/stmt.h over the statement cache of
 * db.c. The SQLite side is here, one call of its API each; the PostgreSQL
 * side is db/pg.c's pg_stmt, which owns <libpq-fe.h>.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_int.h"
#include "db/pg.h"
#include "db/stmt.h"

int
db_is_pg(const struct db *db)
{
	return db->pg != NULL;
}

struct db_q *
db_q(struct db *db, const char *sql)
{
	struct db_q *q;
	struct pg_stmt *st;

	q = db_cache_slot(db, sql);
	if (db->pg == NULL) {
		if (q->stmt == NULL)	/* prepared into q */
			return db_stmt(db, sql) != NULL ? q : NULL;
		sqlite3_reset(q->stmt);
		sqlite3_clear_bindings(q->stmt);
		return q;
	}
	if (q->pg != NULL) {
		pg_stmt_reset(q->pg);
		pg_stmt_clear(q->pg);
		return q;
	}
	if ((st = pg_stmt_prepare(db->pg, sql)) == NULL) {
		db_fail(db, "prepare");
		return NULL;
	}
	q->pg = st;
	db_cache_keep(db, q, sql);
	return q;
}

struct db_q *
db_q_pair(struct db *db, const struct db_sql *sql)
{
	return db_q(db, db->pg != NULL ? sql->pg : sql->lite);
}

int
db_q_int64(struct db_q *q, int n, int64_t v)
{
	char s[24];
	int len;

	if (q->pg == NULL)
		return sqlite3_bind_int64(q->stmt, n, v) == SQLITE_OK ? 0 : -1;
	len = snprintf(s, sizeof(s), "%lld", (long long)v);
	return pg_stmt_bind(q->pg, n, s, (size_t)len, 0);
}

int
db_q_text(struct db_q *q, int n, const char *s)
{
	if (q->pg == NULL)
		return db_bind_text(q->stmt, n, s) == SQLITE_OK ? 0 : -1;
	return pg_stmt_bind(q->pg, n, s, s != NULL ? strlen(s) : 0, 0);
}

int
db_q_blob(struct db_q *q, int n, const void *p, size_t len)
{
	if (q->pg == NULL)
		return len <= INT_MAX && sqlite3_bind_blob(q->stmt, n, p,
		    (int)len, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
	return pg_stmt_bind(q->pg, n, p, len, 1);
}

int
db_q_text_static(struct db_q *q, int n, const char *s)
{
	if (q->pg == NULL && s != NULL)
		return sqlite3_bind_text(q->stmt, n, s, -1, SQLITE_STATIC) ==
		    SQLITE_OK ? 0 : -1;
	return db_q_text(q, n, s);
}

int
db_q_blob_static(struct db_q *q, int n, const void *p, size_t len)
{
	if (q->pg == NULL)
		return len <= INT_MAX && sqlite3_bind_blob(q->stmt, n, p,
		    (int)len, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
	return db_q_blob(q, n, p, len);
}

int
db_q_null(struct db_q *q, int n)
{
	if (q->pg == NULL)
		return sqlite3_bind_null(q->stmt, n) == SQLITE_OK ? 0 : -1;
	return pg_stmt_bind(q->pg, n, NULL, 0, 0);
}

enum db_q_step
db_q_step(struct db_q *q)
{
	int rc;

	if (q->pg != NULL) {
		rc = pg_stmt_step(q->pg);
		return rc == 1 ? DB_Q_ROW : rc == 0 ? DB_Q_DONE : DB_Q_ERROR;
	}
	rc = sqlite3_step(q->stmt);
	return rc == SQLITE_ROW ? DB_Q_ROW : rc == SQLITE_DONE ? DB_Q_DONE :
	    DB_Q_ERROR;
}

int
db_q_done(struct db *db, struct db_q *q, const char *what)
{
	enum db_q_step rc = db_q_step(q);

	/* The message first: a reset SQLite statement may clear it. */
	if (rc != DB_Q_DONE) {
		db_fail(db, what);
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

int
db_q_later(struct db *db, struct db_q *q, const char *what)
{
	if (db->pg == NULL)
		return db_q_done(db, q, what);
	if (pg_stmt_later(q->pg) == -1)
		return db_fail(db, what);
	return 0;
}

int
db_q_run_all(struct db *db, struct db_q *const *q, size_t n,
    const char *what)
{
	size_t i, sent, failed;
	int rc;

	if (db->pg == NULL || n == 0)
		return 0;
	if (pg_pipe_begin(db->pg) == -1)
		return db_fail(db, what);
	for (sent = 0; sent < n; sent++)
		if (pg_pipe_stmt(q[sent]->pg) == -1)
			break;
	/* Ended in any case: it leaves pipeline mode. */
	rc = pg_pipe_end(db->pg, &failed);
	if (rc == 0 && sent == n)
		return 0;
	/* Not all sent: what ran is not known. */
	for (i = 0; rc == 0 && i < n; i++)
		pg_stmt_reset(q[i]->pg);
	return db_fail(db, what);
}

int
db_q_ran(struct db_q *q)
{
	return q->pg != NULL && pg_stmt_ran(q->pg);
}

int64_t
db_q_col_int64(struct db_q *q, int col)
{
	const char *v;

	if (q->pg == NULL)
		return sqlite3_column_int64(q->stmt, col);
	v = pg_stmt_value(q->pg, col);
	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

const char *
db_q_col_text(struct db_q *q, int col)
{
	const char *v;

	if (q->pg == NULL)
		return db_col_text(q->stmt, col);
	v = pg_stmt_value(q->pg, col);
	return v != NULL ? v : "";
}

const void *
db_q_col_blob(struct db_q *q, int col, size_t *len)
{
	const void *p;

	if (q->pg != NULL)
		return pg_stmt_blob(q->pg, col, len);
	p = sqlite3_column_blob(q->stmt, col);
	*len = (size_t)sqlite3_column_bytes(q->stmt, col);
	return p;
}

int
db_q_col_is_null(struct db_q *q, int col)
{
	if (q->pg == NULL)
		return sqlite3_column_type(q->stmt, col) == SQLITE_NULL;
	return pg_stmt_value(q->pg, col) == NULL;
}

int64_t
db_q_changes(struct db_q *q)
{
	if (q->pg == NULL)
		return sqlite3_changes(sqlite3_db_handle(q->stmt));
	return pg_stmt_changes(q->pg);
}

void
db_q_reset(struct db_q *q)
{
	if (q->pg == NULL)
		sqlite3_reset(q->stmt);
	else
		pg_stmt_reset(q->pg);
}

int
db_retryable(struct db *db)
{
	return db->pg != NULL && pg_retryable(db->pg);
}

int
db_revive(struct db *db)
{
	return db->pg != NULL ? pg_revive(db->pg) : 0;
}

unsigned
db_epoch(struct db *db)
{
	return db->pg != NULL ? pg_epoch(db->pg) : 0;
}

int
db_watch(struct db *db, unsigned ms)
{
	return db->pg != NULL ? pg_watch(db->pg, ms) : 0;
}

void
db_watch_all(unsigned ms)
{
	pg_watch_all(ms);
}
