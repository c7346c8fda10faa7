/*
 * db: opening the database, its pragmas, migrations and transactions, and the
 * prepared-statement cache the table-family files use.
 */
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/dburi.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/migrations.h"
#include "db/pg.h"
#include "db/stmt.h"

int
db_current_version(void)
{
	return nmigrations ? migrations[nmigrations - 1].version : 0;
}

int
db_fail(struct db *db, const char *what)
{
	log_error("db: %s: %s", what, db_errmsg(db));
	return -1;
}

/* SQLite says "disk I/O error" whether the disk is full or broken: add the
 * system's reason (e.g. "No space left on device") when an OS call failed. */
const char *
db_errmsg(struct db *db)
{
	int code, e;

	if (db->pg != NULL)
		return pg_errmsg(db->pg);
	code = sqlite3_errcode(db->h) & 0xff;
	e = sqlite3_system_errno(db->h);
	if (e == 0 || (code != SQLITE_IOERR && code != SQLITE_FULL &&
	    code != SQLITE_CANTOPEN))
		return sqlite3_errmsg(db->h);
	snprintf(db->errbuf, sizeof(db->errbuf), "%s (%s)",
	    sqlite3_errmsg(db->h), strerror(e));
	return db->errbuf;
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

/* Whether path, which does not exist, would be made where one of the
 * database's companions goes (a -journal, say, that SQLite would then
 * take for a hot journal): the same name in the same directory. */
static int
db_would_own(const struct db *db, const char *path, const char *const *sides,
    size_t nsides)
{
	char *a = xstrdup(path), *b = xstrdup(db->path), *da, *db_dir, *name;
	size_t i;
	int same = 0;

	da = realpath(dirname(a), NULL);
	db_dir = realpath(dirname(b), NULL);
	free(a);
	free(b);
	if (da != NULL && db_dir != NULL && strcmp(da, db_dir) == 0) {
		a = xstrdup(path);
		b = xstrdup(db->path);
		for (i = 0; i < nsides && !same; i++) {
			name = xasprintf("%s%s", basename(b), sides[i]);
			same = strcmp(basename(a), name) == 0;
			free(name);
		}
		free(a);
		free(b);
	}
	free(da);
	free(db_dir);
	return same;
}

int
db_owns_file(const struct db *db, const char *path)
{
	static const char *const sides[] = { "", "-wal", "-shm", "-journal" };
	struct stat target, own;
	char *name;
	size_t i;
	int same;

	if (db_is_pg(db))
		return 0;
	if (stat(path, &target) == -1)
		return errno == ENOENT && db_would_own(db, path, sides,
		    sizeof(sides) / sizeof(sides[0]));
	for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		name = xasprintf("%s%s", db->path, sides[i]);
		same = stat(name, &own) == 0 && own.st_dev == target.st_dev &&
		    own.st_ino == target.st_ino;
		free(name);
		if (same)
			return 1;
	}
	return 0;
}

int
db_exec(struct db *db, const char *sql)
{
	char *err = NULL;

	if (db->pg != NULL)
		return pg_exec_script(db->pg, sql) == PG_OK ? 0 :
		    pg_fail(db->pg, "exec");
	if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
		/* err is a copy of the handle's message; ours adds errno. */
		log_error("db: %s", db_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

struct db_q *
db_cache_slot(struct db *db, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % DB_STMT_CACHE;
	size_t i;

	for (i = 0; i < DB_STMT_CACHE; i++) {
		size_t j = (h + i) % DB_STMT_CACHE;

		if (db->cache_sql[j] == sql || db->cache_sql[j] == NULL)
			return &db->cache[j];
	}
	fatalx("db: statement cache full (raise DB_STMT_CACHE)");
}

void
db_cache_keep(struct db *db, struct db_q *q, const char *sql)
{
	db->cache_sql[q - db->cache] = sql;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql)
{
	struct db_q *q = db_cache_slot(db, sql);
	sqlite3_stmt *st;

	if (q->stmt != NULL) {
		sqlite3_reset(q->stmt);
		sqlite3_clear_bindings(q->stmt);
		return q->stmt;
	}
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		db_fail(db, "prepare");
		return NULL;
	}
	q->stmt = st;
	db_cache_keep(db, q, sql);
	return st;
}

int
db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

const char *
db_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s != NULL ? (const char *)s : "";
}

int
db_step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, what);
	return 0;
}

/* For bsearch over the sorted role names. */
static int
roles_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
db_roles_equal(struct db *db, const char *sql_list, int64_t id,
    const char *const *roles, size_t n)
{
	struct db_q *q;
	const char *role;
	enum db_q_step rc;
	size_t i = 0;
	int same = 1;

	if ((q = db_q(db, sql_list)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	/* A set compared in C: each store orders text by its own collation,
	 * roles by strcmp(). The stored roles are unique (the key). */
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		role = db_q_col_text(q, 0);
		if (bsearch(&role, roles, n, sizeof(*roles), roles_cmp) ==
		    NULL)
			same = 0;
		i++;
	}
	if (rc != DB_Q_DONE) {
		db_fail(db, "roles");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return same && i == n;
}

int
db_roles_write(struct db *db, const char *sql_clear, const char *sql_add,
    int64_t id, const char *const *roles, size_t n)
{
	struct db_q *q;
	size_t i;

	if ((q = db_q(db, sql_clear)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	if (db_q_done(db, q, "clear roles") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((q = db_q(db, sql_add)) == NULL)
			return -1;
		db_q_int64(q, 1, id);
		db_q_text(q, 2, roles[i]);
		if (db_q_done(db, q, "add role") == -1)
			return -1;
	}
	return 0;
}

static int
db_pragma_int(struct db *db, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, sql);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, sql);
	return 0;
}

int
db_schema_version(struct db *db)
{
	int v = -1;

	if (db->pg != NULL)
		return pg_schema_version(db->pg);
	if (db_pragma_int(db, "PRAGMA user_version", &v) == -1)
		return -1;
	return v;
}

/* The schema version in *v, or -1 after logging: also for a negative one,
 * which no chorus writes (the file was damaged or edited by hand), so it
 * is neither mistaken for a failed read nor "migrated". */
static int
db_version_read(struct db *db, int *v)
{
	if (db_pragma_int(db, "PRAGMA user_version", v) == -1)
		return -1;
	if (*v < 0) {
		log_error("database '%s' has schema version %d, which no "
		    "chorus writes: not a chorus database, or damaged",
		    db->path, *v);
		return -1;
	}
	return 0;
}

/*
 * Process-wide SQLite settings, before its first use. Statement journals
 * (the original of each page a savepoint changes, such as the one around
 * each digest a run claims) stay in memory up to STMTJRNL_SPILL instead
 * of the default 64 KiB: beyond that they went to a temporary file, two
 * writes per page, more than the WAL itself.
 *
 * Not more than 128 KiB: with SQLite 3.40 (Debian 12) and a larger
 * spill, a statement whose journal outgrew it failed to move the journal
 * to its file, with "database or disk is full" (the first report's fold
 * of a few million hits, an UPDATE of many rows inside a transaction).
 * Measured against the system library: 64 and 128 KiB work, 256 KiB,
 * 1 MiB and 8 MiB fail. test_db's test_big_statement.
 */
#define STMTJRNL_SPILL	(128 * 1024)

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void
db_global_init(void)
{
	/* Fails only once SQLite is in use; the defaults then stay. */
	(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMTJRNL_SPILL);
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* A postgresql:// URI. Only the commands whose queries run on both stores
 * get here: chorus.c refuses the others before they start. Without
 * DB_CREATE the schema must be at the version this chorus knows, as for
 * SQLite; DB_READONLY makes every transaction read-only. */
static struct db *
db_open_pg(const char *uri, int flags)
{
	struct db *db;
	int v;

	db = xcalloc(1, sizeof(*db));
	db->flags = flags;
	if ((db->pg = pg_connect(uri, (flags & DB_READONLY) != 0)) == NULL) {
		free(db);
		return NULL;
	}
	db->path = xstrdup(pg_name(db->pg));
	if (flags & DB_CREATE)
		return db;
	if ((v = pg_schema_version(db->pg)) == -1)
		goto fail;
	if (v < pg_current_version()) {
		if (v == 0)
			log_error("database '%s' has no chorus schema; run "
			    "'chorus init' first", db->path);
		else
			log_error("database '%s' is at schema version %d, "
			    "this chorus needs %d; run 'chorus init' to "
			    "migrate it", db->path, v, pg_current_version());
		goto fail;
	}
	if (v > pg_current_version()) {
		log_error("database '%s' is at schema version %d, newer than "
		    "this chorus knows (%d)", db->path, v,
		    pg_current_version());
		goto fail;
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

char *
db_uri_problem(const char *path)
{
	return dburi_is_pg(path) ? pg_uri_problem(path) : NULL;
}

struct db *
db_open(const char *path, int flags)
{
	struct db *db = NULL;
	struct stat st;
	int oflags, v;

	if (dburi_is_pg(path))
		return db_open_pg(path, flags);
	pthread_once(&global_once, db_global_init);
	if (!(flags & DB_CREATE) && stat(path, &st) == -1) {
		if (errno == ENOENT)
			log_error("database '%s' does not exist; "
			    "run 'chorus init' first", path);
		else
			log_error_errno("database '%s'", path);
		return NULL;
	}

	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	db->flags = flags;
	oflags = SQLITE_OPEN_NOMUTEX;
	if (flags & DB_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE |
		    ((flags & DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &db->h, oflags, NULL) != SQLITE_OK) {
		log_error("database '%s': %s", path,
		    db->h ? db_errmsg(db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	/* The first statements read the file: name it if they fail ("file
	 * is not a database"). */
	if ((!(flags & DB_READONLY) && sqlite3_exec(db->h,
	    "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) ||
	    sqlite3_exec(db->h, "PRAGMA foreign_keys=ON;"
	    "PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) != SQLITE_OK) {
		log_error("database '%s': %s", path, db_errmsg(db));
		goto fail;
	}

	if (!(flags & DB_CREATE)) {
		if (db_version_read(db, &v) == -1)
			goto fail;
		if (v < db_current_version()) {
			log_error("database '%s' is at schema version %d, "
			    "this chorus needs %d; run 'chorus init' to "
			    "migrate it", path, v, db_current_version());
			goto fail;
		}
		if (v > db_current_version()) {
			log_error("database '%s' is at schema version %d, "
			    "newer than this chorus knows (%d)", path, v,
			    db_current_version());
			goto fail;
		}
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < DB_STMT_CACHE; i++) {
		if (db->cache[i].stmt != NULL)
			sqlite3_finalize(db->cache[i].stmt);
		pg_stmt_free(db->cache[i].pg);
	}
	if (db->h != NULL && sqlite3_close(db->h) != SQLITE_OK)
		log_warnx("db: close '%s': %s", db->path,
		    sqlite3_errmsg(db->h));
	pg_close(db->pg);
	free(db->path);
	free(db);
}

static int	db_migrate_steps(struct db *, int, int *);

int
db_migrate(struct db *db, int *fromp, int *top)
{
	int from, v, rc, defensive;

	if (db->pg != NULL)
		return pg_migrate(db->pg, fromp, top);
	if (db_version_read(db, &from) == -1)
		return -1;
	if (fromp != NULL)
		*fromp = from;
	if (top != NULL)
		*top = from;
	if (from > db_current_version()) {
		log_error("database '%s' is at schema version %d, newer than "
		    "this chorus knows (%d)", db->path, from,
		    db_current_version());
		return -1;
	}
	/* A migration may edit sqlite_schema and set schema_version (002),
	 * which a connection in defensive mode refuses or ignores: off
	 * while migrating, whatever this SQLite's default, then as it was. */
	defensive = 0;
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
	if (defensive)
		sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 0, NULL);
	rc = db_migrate_steps(db, from, &v);
	if (defensive)
		sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if (top != NULL)
		*top = v;
	return rc;
}

/* The migrations after version from, each in its own transaction; *vp
 * is the version reached (from, when one fails). */
static int
db_migrate_steps(struct db *db, int from, int *vp)
{
	int v = from, sv;
	size_t i;
	char *sql;

	*vp = from;
	for (i = 0; i < nmigrations; i++) {
		if (migrations[i].version <= v)
			continue;
		if (db_begin(db) == -1)
			return -1;
		/* Another process may have migrated while we waited. */
		if ((v = db_schema_version(db)) == -1)
			goto fail;
		if (migrations[i].version <= v) {
			db_rollback(db);
			continue;
		}
		/* One line with the reason, e.g. a table that exists already
		 * in a file whose version was set back by hand. */
		if (sqlite3_exec(db->h, migrations[i].sql, NULL, NULL,
		    NULL) != SQLITE_OK) {
			log_error("database '%s': migration %s failed: %s",
			    db->path, migrations[i].name, db_errmsg(db));
			goto fail;
		}
		/* schema_version is what tells every connection, this one
		 * included, to read the schema again. CREATE and ALTER raise
		 * it themselves; a migration that edits sqlite_schema in
		 * place (002) needs it raised by hand, as SQLite documents. */
		if (db_pragma_int(db, "PRAGMA schema_version", &sv) == -1)
			goto fail;
		sql = xasprintf("PRAGMA user_version=%d; "
		    "PRAGMA schema_version=%d", migrations[i].version, sv + 1);
		if (db_exec(db, sql) == -1) {
			free(sql);
			goto fail;
		}
		free(sql);
		if (db_commit(db) == -1)
			goto fail;
		v = migrations[i].version;
		log_debug("db: migrated '%s' to version %d", db->path, v);
	}
	*vp = v;
	return 0;
fail:
	db_rollback(db);
	/* A pragma is not rolled back: a migration that failed while it
	 * could write sqlite_schema must not leave the connection so. */
	(void)sqlite3_exec(db->h, "PRAGMA writable_schema = OFF", NULL, NULL,
	    NULL);
	return -1;
}

static const char sql_begin[] = "BEGIN IMMEDIATE";
static const char sql_begin_read[] = "BEGIN DEFERRED";
static const char sql_commit[] = "COMMIT";

int
db_exec_prepared(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	int rc;

	/* Transaction statements (savepoints) are sent as they are. */
	if (db->pg != NULL)
		return pg_exec_script(db->pg, sql) == PG_OK ? 0 :
		    pg_fail(db->pg, sql);
	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	/* Reset before the error is read: the message stays on the
	 * handle, and a statement left stepped would hold its state. */
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_error("db: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

/* The transaction statements on PostgreSQL: 0, or -1 after logging. */
static int
db_pg_tx(struct db *db, const char *sql)
{
	if (pg_exec_script(db->pg, sql) != PG_OK)
		return pg_fail(db->pg, sql);
	return 0;
}

int
db_begin(struct db *db)
{
	/* Row locks, not a database lock, are what PostgreSQL's writers
	 * wait for: a plain BEGIN. */
	if (db->pg != NULL)
		return db_pg_tx(db, "BEGIN");
	return db_exec_prepared(db, sql_begin);
}

int
db_try_begin(struct db *db)
{
	sqlite3_stmt *st;
	int rc;

	/* No database lock to find taken: a writer waits for a row. */
	if (db->pg != NULL)
		return db_begin(db);
	if ((st = db_stmt(db, sql_begin)) == NULL)
		return -1;
	sqlite3_busy_timeout(db->h, 0);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_BUSY)
		return 1;
	log_error("db: %s", db_errmsg(db));
	return -1;
}

int
db_commit(struct db *db)
{
	if (db->pg != NULL)
		return db_pg_tx(db, "COMMIT");
	return db_exec_prepared(db, sql_commit);
}

int
db_read_begin(struct db *db)
{
	/* One snapshot for every read, as SQLite's read transaction. */
	if (db->pg != NULL) {
		if (pg_in_transaction(db->pg))
			return 0;
		return db_pg_tx(db, "BEGIN ISOLATION LEVEL REPEATABLE READ "
		    "READ ONLY") == -1 ? -1 : 1;
	}
	if (!sqlite3_get_autocommit(db->h))
		return 0;
	return db_exec_prepared(db, sql_begin_read) == -1 ? -1 : 1;
}

int
db_read_end(struct db *db)
{
	if (db->pg != NULL)
		return pg_in_transaction(db->pg) ? db_pg_tx(db, "COMMIT") : 0;
	if (sqlite3_get_autocommit(db->h))
		return 0;
	return db_exec_prepared(db, sql_commit);
}

int
db_in_transaction(struct db *db)
{
	if (db->pg != NULL)
		return pg_in_transaction(db->pg);
	return !sqlite3_get_autocommit(db->h);
}

int
db_rollback(struct db *db)
{
	if (db->pg != NULL)
		return pg_rollback(db->pg);
	if (sqlite3_get_autocommit(db->h))
		return 0;
	return db_exec(db, "ROLLBACK");
}

void
db_quiesce(struct db *db)
{
	size_t i;

	for (i = 0; i < DB_STMT_CACHE; i++) {
		if (db->cache[i].pg != NULL)
			pg_stmt_reset(db->cache[i].pg);
		if (db->cache[i].stmt != NULL &&
		    sqlite3_stmt_busy(db->cache[i].stmt))
			sqlite3_reset(db->cache[i].stmt);
	}
}
