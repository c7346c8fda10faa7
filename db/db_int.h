/*
 * db_int: what the files of db/ share and nobody else sees: the struct db
 * and a prepared-statement cache keyed by the SQL text's address, so each
 * query is prepared once per connection and reused.
 */
#ifndef CHORUS_DB_INT_H
#define CHORUS_DB_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db/db.h"

#define DB_STMT_CACHE	128

struct pg;
struct pg_stmt;

/* A cached statement (db/stmt.h's cursor): one store's half is set, or
 * neither in a slot not used yet. */
struct db_q {
	sqlite3_stmt	*stmt;
	struct pg_stmt	*pg;
};

struct db {
	sqlite3		*h;
	struct pg	*pg;	/* a PostgreSQL store instead of h */
	char		*path;
	int		 flags;
	char		 errbuf[256];	/* db_errmsg() with the system's reason */
	/* PostgreSQL, the hit writer's (db/hits.c): ids taken ahead, the
	 * link generation of its open batch, and whether that batch's BEGIN
	 * is left for db_hits_batch_close to send. */
	int64_t		 hit_pool, hit_pool_end;
	uint64_t	 hit_gen;
	int		 hit_deferred;
	/* The batch's footer pages, bound (db_hits_pages), for
	 * db_hits_batch_close to send in its round trip; NULL: none. */
	struct db_q	*hit_pages;
	/* The keys apart from the statements, so that a lookup probes a
	 * dense array: the static SQL strings, by their address. */
	const char	*cache_sql[DB_STMT_CACHE];
	struct db_q	 cache[DB_STMT_CACHE];
};

/* The cache's slot for sql: the one holding it, else an empty one for
 * the caller to prepare into and then give to db_cache_keep(). Dies when
 * the cache is full. */
struct db_q *db_cache_slot(struct db *, const char *sql);
void	 db_cache_keep(struct db *, struct db_q *, const char *sql);

/* Returns the cached statement for sql (a string literal or other static
 * text), reset and with its bindings cleared. Borrowed: never finalize it.
 * Returns NULL after logging if it does not prepare. */
sqlite3_stmt *db_stmt(struct db *, const char *sql);

/* Runs SQL with no result rows; returns 0 or -1 after logging. */
int	 db_exec(struct db *, const char *sql);
/* Runs one statement without results from the statement cache: for the
 * transaction statements run thousands of times a second, where parsing
 * cost more than running (sql: a static string, as for db_stmt). */
int	 db_exec_prepared(struct db *, const char *sql);

/* Binds text, or NULL when s is NULL. */
int	 db_bind_text(sqlite3_stmt *, int idx, const char *s);

/* Logs "db: what: sqlite message" and returns -1. */
int	 db_fail(struct db *, const char *what);

/* Steps a statement that returns no rows; returns 0, or -1 after logging
 * "db: what: ...". */
int	 db_step_done(struct db *, sqlite3_stmt *, const char *what);

/* Role sets (employee_roles, post_roles), on either store. sql_list
 * selects the roles of ?1 in any order; roles are sorted by strcmp() and
 * unique. Returns 1 if equal, 0 if not, -1 on error. */
int	 db_roles_equal(struct db *, const char *sql_list, int64_t id,
	    const char *const *roles, size_t n);
/* Replaces the roles of id: sql_clear deletes by ?1, sql_add inserts
 * (?1, ?2). Returns 0 or -1. */
int	 db_roles_write(struct db *, const char *sql_clear, const char *sql_add,
	    int64_t id, const char *const *roles, size_t n);

/* Column text as a C string ("" for NULL). Borrowed until the next step. */
const char *db_col_text(sqlite3_stmt *, int col);

/* db/ledger.c's claim in two halves, for db/digest.c to run it with a
 * plan's reads: its statement bound, then (after it ran) its answer,
 * as db_ledger_claim() returns it. */
struct db_q *ledger_claim_q(struct db *, int64_t emp, const char *date,
	    const char *claimer, time_t now, time_t wall);
int	 ledger_claim_read(struct db *, struct db_q *, int64_t *id,
	    int *planned);

#endif
