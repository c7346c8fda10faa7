/*
 * db: the store. The only code in Chorus that includes <sqlite3.h> lives in
 * db/; everything else speaks to the database through these functions and
 * the per-table-family headers beside this one (employees, posts, ...).
 */
#ifndef CHORUS_DB_H
#define CHORUS_DB_H

struct db;

enum db_open_flags {
	DB_CREATE	= 1 << 0,	/* create the file if missing; the caller
				   then runs db_migrate() */
	DB_READONLY	= 1 << 1,	/* open read-only (preview, reports) */
};

/* How long a statement waits for another connection's lock. */
#define DB_BUSY_TIMEOUT_MS	10000

/* Opens path with WAL, foreign keys and a busy timeout. Without DB_CREATE
 * the file must exist and be at the current schema version, otherwise a
 * one-line error says to run `chorus init`. Returns NULL after logging. */
struct db *db_open(const char *path, int flags);
/* What is wrong with a postgresql:// URI before any connection (an
 * unknown parameter, a malformed URI), secrets left out: a bad setting
 * (exit 64), where a connection's failure is not. NULL for a good URI
 * or a file name. The caller frees it. */
char	*db_uri_problem(const char *path);
void	 db_close(struct db *);

/* Brings the schema to the current version in one transaction per
 * migration. *from and *to (may be NULL) receive the versions. */
int	 db_migrate(struct db *, int *from, int *to);
int	 db_schema_version(struct db *);
int	 db_current_version(void);

/* BEGIN IMMEDIATE (takes the write lock now, waiting up to the busy
 * timeout), COMMIT, ROLLBACK. Each returns 0 or -1 after logging. */
int	 db_begin(struct db *);
/* BEGIN IMMEDIATE without waiting: 0 when begun, 1 when another connection
 * holds the write lock (nothing logged), -1 after logging. */
int	 db_try_begin(struct db *);
int	 db_commit(struct db *);
int	 db_rollback(struct db *);
/* Whether a transaction is open on db. */
int	 db_in_transaction(struct db *);
/* A read transaction (BEGIN DEFERRED) around a few reads: one snapshot and
 * one set of lock calls instead of one per statement. Returns 1 when one
 * was begun (end it with db_read_end()), 0 when the connection is already
 * in a transaction (nothing to end), -1 after logging. */
int	 db_read_begin(struct db *);
int	 db_read_end(struct db *);
/* Resets every cached statement left mid-result, so this connection holds
 * no read snapshot: in WAL mode a write from a connection with a stale
 * snapshot fails at once with SQLITE_BUSY instead of waiting. Call before
 * a write outside a transaction or BEGIN, never inside a loop over rows. */
void	 db_quiesce(struct db *);

/* Borrowed: the last SQLite error message. */
const char *db_errmsg(struct db *);
/* Borrowed: the path the database was opened with; for PostgreSQL, its
 * URI without the password, fit for messages. */
const char *db_path(const struct db *);
/* Whether path names the SQLite database's own file or one of its
 * companions (-wal, -shm, -journal), under any name or link: a file
 * written there would destroy it. Always 0 on PostgreSQL. */
int	 db_owns_file(const struct db *, const char *path);

#endif
