/*
 * stmt: the statement API the files of db/ speak to either store through.
 * Each statement is one SQL text, written with SQLite's ?N parameters
 * (turned into $N for PostgreSQL when first prepared) and cached per
 * connection by its address, as db_stmt() does: a static string. The few
 * statements whose text must differ are a struct db_sql pair.
 */
#ifndef CHORUS_DB_STMT_H
#define CHORUS_DB_STMT_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct db_q;

/* One statement in each store's words, both static strings. */
struct db_sql {
	const char	*lite;
	const char	*pg;
};

enum db_q_step {
	DB_Q_ERROR = -1,	/* db_errmsg() says why; nothing logged */
	DB_Q_DONE = 0,		/* no more rows */
	DB_Q_ROW = 1,		/* a row: read it with db_q_col_*() */
};

/* 1 when db is a PostgreSQL store: for the few places whose behaviour,
 * not only text, differs. */
int	 db_is_pg(const struct db *);

/* Returns the cached cursor for sql (a static string), reset, with every
 * parameter unbound (SQL NULL). Borrowed: owned by db. NULL after logging
 * when it does not prepare. */
struct db_q *db_q(struct db *, const char *sql);
/* The same for a statement whose text differs: the store's half. */
struct db_q *db_q_pair(struct db *, const struct db_sql *);

/* Bind parameter n (from 1); text and blobs are copied. Return 0 or -1. */
int	 db_q_int64(struct db_q *, int n, int64_t);
int	 db_q_text(struct db_q *, int n, const char *);	/* NULL: NULL */
int	 db_q_blob(struct db_q *, int n, const void *, size_t len);
/* The same for a value that stays where it is, unchanged, until the
 * statement is stepped or reset: SQLite then reads it without a copy. */
int	 db_q_text_static(struct db_q *, int n, const char *);
int	 db_q_blob_static(struct db_q *, int n, const void *, size_t len);
int	 db_q_null(struct db_q *, int n);

/* Runs the statement (first call) and moves to its next row. */
enum db_q_step db_q_step(struct db_q *);
/* Steps a statement that returns no rows, then resets it: 0, or -1 after
 * logging "db: what: ...". */
int	 db_q_done(struct db *, struct db_q *, const char *what);
/* The same for a write whose count nobody reads: on PostgreSQL it is
 * queued and sent with the next statement, in its round trip (its
 * failure is that statement's); on SQLite, db_q_done(). */
int	 db_q_later(struct db *, struct db_q *, const char *what);

/* Runs the n statements q, each bound, together: on PostgreSQL in one
 * round trip (pipeline mode; a queue of db_q_later() goes first, in
 * it), each then stepped through its rows as if it had run at its first
 * step; on SQLite nothing, each runs at its first step. For statements
 * that do not need each other's answers. Returns 0, or -1 after logging
 * "db: what: ..." (the ones that ran before the failure keep their
 * rows: db_q_ran()). */
int	 db_q_run_all(struct db *, struct db_q *const *q, size_t n,
	    const char *what);
/* After db_q_run_all() failed: whether q ran before the failure (its
 * rows can be stepped through); never on SQLite. */
int	 db_q_ran(struct db_q *);

/* The current row's columns (from 0). A NULL reads as 0 or "". Text and
 * blobs are borrowed until the next step or reset. */
int64_t	 db_q_col_int64(struct db_q *, int col);
const char *db_q_col_text(struct db_q *, int col);
const void *db_q_col_blob(struct db_q *, int col, size_t *len);
int	 db_q_col_is_null(struct db_q *, int col);

/* The rows the last statement run inserted, changed or deleted (still
 * after db_q_done()'s reset). */
int64_t	 db_q_changes(struct db_q *);
/* Ends a run early (its rows, its read snapshot); bindings stay. */
void	 db_q_reset(struct db_q *);

/* Whether the last failure on db may pass if tried again: on PostgreSQL
 * a lost connection or a retryable SQLSTATE; never on SQLite, whose busy
 * handler already waited. */
int	 db_retryable(struct db *);
/* Makes a lost PostgreSQL connection again; nothing on SQLite, or when
 * the connection is fine. 0 when usable, -1 when not (nothing logged). */
int	 db_revive(struct db *);
/* Changes each time db_revive() makes the connection again (0 on
 * SQLite): a caller can tell that a failure it saw came from a
 * connection that has been made again since. */
unsigned db_epoch(struct db *);
/* A store across the network (PostgreSQL): from now on, a call on db that
 * waits for the server longer than ms drops the connection and fails, as
 * a lost connection does (retryable; db_revive() makes it again), for a
 * caller whose statements are all short. Nothing on SQLite. 0, or -1
 * when no watchdog could be started (logged). Called again between
 * calls, it sets another deadline; 0 stops watching until the next (a
 * statement that may rightly run long). */
int	 db_watch(struct db *, unsigned ms);
/* As db_watch for every connection opened from now on, from its first
 * statement (those db_open() itself runs) on; 0: none. For a process
 * whose statements are all short. */
void	 db_watch_all(unsigned ms);

#endif
