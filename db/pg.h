/*
 * pg: the PostgreSQL connection under the store. The only code in Chorus
 * that includes <libpq-fe.h> is db/pg.c, as <sqlite3.h> stays in db/: a
 * connection from a postgresql:// URI with a bounded connect timeout,
 * statements with text parameters, transactions retried when the server
 * says to, the SQLSTATE classes the store acts on, and the migrations of
 * db/migrations/pg/ compiled into the binary. No password ever reaches a
 * log line: every message from libpq is scrubbed of the URI's secrets.
 */
#ifndef CHORUS_DB_PG_H
#define CHORUS_DB_PG_H

#include <stddef.h>

struct buf;
struct pg;
struct pg_result;

/* What the caller does about a failure, from its SQLSTATE. */
enum pg_status {
	PG_OK = 0,
	PG_RETRY,	/* serialization failure, deadlock, connection lost,
			   server shutting down: run the transaction again */
	PG_UNIQUE,	/* unique violation (23505): the row exists */
	PG_CONSTRAINT,	/* any other integrity violation (class 23) */
	PG_ERROR,	/* anything else: the statement or schema is wrong */
};

/* Seconds libpq waits for each server address unless the URI says
 * connect_timeout itself. */
#define PG_CONNECT_TIMEOUT	10
/* How long any statement waits for a lock another connection holds, in
 * milliseconds, as SQLite's busy timeout (DB_BUSY_TIMEOUT_MS): then it
 * fails (55P03) rather than wait for ever, so a click during a long lock
 * is answered 503, as on SQLite. An options= in the URI replaces it. */
#define PG_WAIT_TIMEOUT_MS	10000
/* How long the migrations wait for another process's migration lock or a
 * table lock, in seconds. */
#define PG_LOCK_TIMEOUT		60

/* Returns a malloc'd copy of msg (a libpq message) on one line, in which
 * uri and each of its secrets, as written or percent-decoded, read as in
 * dburi_redact(); the caller frees it. */
char	*pg_scrub(const char *msg, const char *uri);
/* The class of an SQLSTATE (NULL: none, as when the connection is gone);
 * connection_bad says the connection is no longer usable. Pure. */
enum pg_status pg_classify(const char *sqlstate, int connection_bad);

/* Connects (libpq's connect_timeout PG_CONNECT_TIMEOUT and lock_timeout
 * PG_WAIT_TIMEOUT_MS unless the URI sets them; with readonly, every
 * transaction read-only, set again after pg_revive); NULL after logging
 * one scrubbed line. */
struct pg *pg_connect(const char *uri, int readonly);
/* What is wrong with uri as libpq reads it, without connecting (a
 * parameter misspelt, a malformed URI), its secrets scrubbed; NULL if
 * nothing. The caller frees it. */
char	*pg_uri_problem(const char *uri);
void	 pg_close(struct pg *);
/* Runs set (a SET of the session, a string that outlives pg) now, and
 * again each time the connection is made again; 0, or -1 after logging. */
int	 pg_session(struct pg *, const char *set);
/* Borrowed: the URI without its secrets, for messages. */
const char *pg_name(const struct pg *);

/* Runs sql with nparams text parameters ($1...; a NULL is SQL NULL). When
 * res is not NULL it receives the rows (free with pg_result_free), else
 * they are dropped. Returns PG_OK or the class of the failure, whose
 * message pg_errmsg() then gives; nothing is logged. */
enum pg_status pg_exec(struct pg *, const char *sql, int nparams,
	    const char *const *params, struct pg_result **res);
/* Runs one or more statements without parameters or results (a migration,
 * BEGIN, COMMIT); as pg_exec. */
enum pg_status pg_exec_script(struct pg *, const char *sql);
/* The last failure's SQLSTATE ("" if none). Borrowed until the next call. */
const char *pg_sqlstate(const struct pg *);
/* The last failure's message, scrubbed, on one line. Borrowed until the
 * next call. */
const char *pg_errmsg(const struct pg *);
/* Logs "db: what: pg_errmsg()" and returns -1. */
int	 pg_fail(struct pg *, const char *what);

size_t	 pg_result_rows(const struct pg_result *);
/* Borrowed until pg_result_free: the text of a field, NULL for SQL NULL. */
const char *pg_result_value(const struct pg_result *, size_t row, int col);
void	 pg_result_free(struct pg_result *);

/* Queues sql (a static text without parameters or rows, such as
 * SAVEPOINT or RELEASE) to be sent with the next statement, in one round
 * trip; its failure is that statement's. Dropped unless the transaction
 * is still open and healthy when it would be sent. Returns 0, or -1 when
 * a full queue could not be sent. */
int	 pg_later(struct pg *, const char *sql);

/* 1 when the connection is inside a transaction (or a failed one); 0
 * when idle, or lost (the server ended it). */
/* A copy of the value the connection was made with for libpq's keyword
 * key (the caller frees it), NULL when unset; never the password. */
char	*pg_conninfo(const struct pg *, const char *key);
/* From now on, a call on pg that waits for the server longer than ms
 * has its connection dropped (the socket shut down by a watchdog thread
 * of the process): it fails as on a lost connection, retryable, and the
 * next pg_revive() makes the connection again. For connections whose
 * every statement is short (the redirector's): a server that stops
 * answering without closing (a stopped backend, a stalled disk, a split
 * without a reset) then costs a bounded wait. -1 when no thread could be
 * started (logged; nothing is watched). Called again between calls, it
 * sets another deadline; 0 watches nothing until the next. */
int	 pg_watch(struct pg *, unsigned ms);
/* Every connection made from now on is watched with ms (pg_watch) from
 * its first statement on; 0: none. */
void	 pg_watch_all(unsigned ms);
int	 pg_in_transaction(const struct pg *);
/* Rolls back the open transaction, if any, with what pg_later() queued
 * for it. The last failure's SQLSTATE and message are kept when the
 * ROLLBACK succeeds; else they are the ROLLBACK's (logged). 0 or -1. */
int	 pg_rollback(struct pg *);

/*
 * Prepared statements for the store-neutral API of db/stmt.h: SQL written
 * once for both stores, with SQLite's parameters, prepared here under a
 * name of this connection and run with PQexecPrepared. Values are sent as
 * text (binary for blobs) and read as text.
 */
struct pg_stmt;

/* Returns a malloc'd copy of sql with SQLite's parameters written as
 * PostgreSQL's: ?N as $N, and a bare ? as one more than the largest number
 * before it, as SQLite numbers it; none is seen inside a quoted string or
 * identifier, or a comment. *nparams receives the largest number. Pure. */
char	*pg_sql_translate(const char *sql, int *nparams);
/* Prepares sql (SQLite's parameters, as above) on this connection, the
 * server inferring each parameter's type (text for a number the text
 * skips); NULL on failure, pg_errmsg() saying why (nothing logged). A
 * statement whose connection was made again since is prepared again when
 * next run. */
struct pg_stmt *pg_stmt_prepare(struct pg *, const char *sql);
void	 pg_stmt_free(struct pg_stmt *);
/* Forgets the rows of the last run; the values bound stay. */
void	 pg_stmt_reset(struct pg_stmt *);
/* Unbinds every parameter (each is then SQL NULL). */
void	 pg_stmt_clear(struct pg_stmt *);
/* Binds parameter n (from 1) to len bytes of data (NULL: SQL NULL), sent
 * as text, or as bytes when binary; copied. Returns 0, or -1 when n is out
 * of range. */
int	 pg_stmt_bind(struct pg_stmt *, int n, const void *data, size_t len,
	    int binary);
/* Runs the statement on its first step, then walks its rows: 1 for a
 * row, 0 when there are no more, -1 on failure (pg_errmsg() says why). */
int	 pg_stmt_step(struct pg_stmt *);
/* Queues st with its parameters as they are bound now, as pg_later()
 * queues a command: for a write whose rows and count nobody reads, sent
 * with the next statement. st may be bound again at once. 0, or -1. */
int	 pg_stmt_later(struct pg_stmt *);
/* Borrowed until the next step or reset: the text of a column of the
 * current row, NULL for SQL NULL or no such column. */
const char *pg_stmt_value(const struct pg_stmt *, int col);
/* Borrowed as pg_stmt_value: the bytes of a BYTEA column; NULL for SQL
 * NULL (*len 0). */
const void *pg_stmt_blob(struct pg_stmt *, int col, size_t *len);
/* The rows the last run inserted, changed or deleted; kept by a reset. */
long long pg_stmt_changes(const struct pg_stmt *);
/* Whether st has a result to step through (it ran since its reset). */
int	 pg_stmt_ran(const struct pg_stmt *);

/* Runs fn in a transaction (BEGIN ... COMMIT), again from BEGIN, up to
 * tries times with a growing pause (a lost connection made again), while
 * the server answers PG_RETRY; fn returns PG_OK or the pg_status of its
 * failing statement. Returns PG_OK, or the last failure's class after
 * rolling back (pg_errmsg() says why; nothing logged but the retries). */
enum pg_status pg_transact(struct pg *, int (*fn)(struct pg *, void *),
	    void *arg, int tries);

/* COPY ... FROM STDIN in PostgreSQL's text format: rows streamed into one
 * table, sent in chunks of PG_COPY_CHUNK bytes. One field of a row: */
struct pg_field {
	const void	*data;	/* NULL: SQL NULL */
	size_t		 len;	/* bytes of data */
	int		 bytea;	/* data is bytes for a BYTEA column */
};

#define PG_COPY_CHUNK	(64 * 1024)

/* Appends one row in COPY's text format to buf: the fields separated by
 * tabs, a newline after the last; NULL as \N; backslash, tab, newline
 * and carriage return escaped; bytea in its hex form (\\x...). Returns 0,
 * or -1 when buf's cap is reached. Pure. */
int	 pg_copy_format(struct buf *, const struct pg_field *, size_t n);
/* Returns a malloc'd identifier quoted for SQL ("a""b"). Pure. */
char	*pg_quote_ident(const char *);
/* Starts COPY table (cols...) FROM STDIN; the names are quoted here. Until
 * pg_copy_end or pg_copy_abort no other statement may run. */
enum pg_status pg_copy_begin(struct pg *, const char *table,
	    const char *const *cols, size_t ncols);
/* Queues one row; a full chunk is sent. */
enum pg_status pg_copy_row(struct pg *, const struct pg_field *, size_t n);
/* Sends the rest and ends the COPY; *rows (may be NULL) receives the
 * number of rows the server stored. */
enum pg_status pg_copy_end(struct pg *, long long *rows);
/* Abandons a COPY begun: the server drops its rows and fails the
 * transaction, which the caller then rolls back. */
void	 pg_copy_abort(struct pg *, const char *why);

/* The schema version of the newest migration compiled in. */
int	 pg_current_version(void);
/* The database's schema version (0: none), or -1 after logging. */
int	 pg_schema_version(struct pg *);
/* Brings the schema to the current version, one transaction per
 * migration, under an advisory lock so that two processes migrating at
 * once wait for each other. *from and *to (may be NULL) receive the
 * versions. Returns 0 or -1 after logging. */
int	 pg_migrate(struct pg *, int *from, int *to);

/* Whether the last failure on pg is worth trying again: a retryable
 * SQLSTATE (pg_classify) or the connection lost. */
int	 pg_retryable(const struct pg *);
/* Makes a lost connection again (PQreset, statements prepared again on
 * first use); nothing when it is not lost. 0 when usable, -1 when not:
 * pg_errmsg() says why. Waits at most connect_timeout. */
/* How many times the connection was made again (PQreset) so far. */
unsigned pg_epoch(const struct pg *);
int	 pg_revive(struct pg *);

/*
 * Pipeline mode (libpq 14): statements sent without waiting for each
 * other's results, read back together, one round trip in all. Between
 * pg_pipe_begin and pg_pipe_end only the calls below may run on pg;
 * statements are prepared (pg_stmt_prepare) before it begins.
 */
/* Enters pipeline mode and sends pg_later()'s queue first, inside a
 * transaction (its commands count among the statements sent; outside
 * one it is dropped); -1 when libpq refuses (pg_errmsg() says why). */
int	 pg_pipe_begin(struct pg *);
/* Sends sql without parameters or rows (BEGIN, COMMIT). */
int	 pg_pipe_sql(struct pg *, const char *sql);
/* Sends st with the values bound now (they may be bound anew at once and
 * st sent again); its rows, if any, are walked with pg_stmt_step after
 * pg_pipe_end, until the next reset. A statement whose connection was
 * made again since is prepared again first, in the pipeline. */
int	 pg_pipe_stmt(struct pg_stmt *);
/* Sends the sync and reads every result. Returns 0 when all succeeded;
 * else -1 with *failed the index (from 0, in the order sent) of the
 * statement that failed, the ones after it not run, or the number sent
 * when the connection was lost and what ran is not known, or when the
 * sync failed to commit the statements (sent without BEGIN, they are one
 * transaction, committed by the sync); pg_errmsg() and pg_retryable()
 * say why. Pipeline mode is left in either case (by
 * pg_revive when the connection was lost). */
int	 pg_pipe_end(struct pg *, size_t *failed);
/* The number of statements the last pipeline sent, PREPAREs included. */
size_t	 pg_pipe_count(const struct pg *);

#endif
