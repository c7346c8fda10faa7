/*
 * daykey: the shared visitor key of each UTC day (table visitor_keys), on
 * either store: first offer wins, past days deleted with secure_delete
 * (SQLite) or followed by a VACUUM FULL of the table (PostgreSQL).
 */
#include <string.h>

#include "common/log.h"
#include "db/daykey.h"
#include "db/db_int.h"
#include "db/stmt.h"

static const char sql_secure[] = "PRAGMA secure_delete = ON";
/* SQLite's INSERT OR IGNORE, in the words both stores have. */
static const char sql_offer[] =
    "INSERT INTO visitor_keys (day, key) VALUES (?1, ?2) "
    "ON CONFLICT (day) DO NOTHING";
static const char sql_read[] = "SELECT key FROM visitor_keys WHERE day = ?1";
static const char sql_forget[] = "DELETE FROM visitor_keys WHERE day < ?1";
/* PostgreSQL has no secure_delete: a deleted row stays in its page until
 * vacuumed, and a plain VACUUM compacts the page without clearing what it
 * freed. VACUUM FULL writes the table anew (a few rows: at once) and
 * drops the old file with the keys deleted. Its lock, held that long,
 * makes another process's key lookup wait, never fail. */
static const char sql_vacuum[] = "VACUUM FULL visitor_keys";

/* Turns secure_delete on for this connection; the pragma answers with a
 * row (the new setting), so it is not a db_exec_prepared statement. */
static int
daykey_secure(struct db *db)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_secure)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "visitor key: secure_delete");
	return 0;
}

/* After the rows of past days were deleted and committed: their bytes out
 * of the store's files, as far as each store can. */
static void
daykey_scrub(struct db *db)
{
	if (db_is_pg(db)) {
		/* The keys are deleted: a failure here only leaves their
		 * bytes until the next day's try. */
		if (db_exec(db, sql_vacuum) == -1)
			log_warnx("db: visitor keys deleted, not vacuumed");
		return;
	}
	/* The zeroed page is in the WAL; copy it over the old one in the
	 * database file now rather than at the next automatic checkpoint,
	 * which a quiet redirector may not reach for days. Passive: it
	 * waits for nobody, and what it cannot copy yet a later one will. */
	(void)sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL);
}

int
db_daykey_get(struct db *db, int64_t day, int64_t keep_from,
    const unsigned char fresh[DAYKEY_LEN], unsigned char out[DAYKEY_LEN])
{
	struct db_q *q;
	const void *blob;
	size_t len;
	enum db_q_step rc;
	int forgot;

	/* A PostgreSQL connection lost by an earlier call (a restarted
	 * server) is made again, or this call fails as that one did. */
	(void)db_revive(db);
	if ((!db_is_pg(db) && daykey_secure(db) == -1) || db_begin(db) == -1)
		return -1;
	if ((q = db_q(db, sql_offer)) == NULL)
		goto fail;
	db_q_int64(q, 1, day);
	db_q_blob(q, 2, fresh, DAYKEY_LEN);
	if (db_q_done(db, q, "visitor key: offer") == -1)
		goto fail;
	if ((q = db_q(db, sql_read)) == NULL)
		goto fail;
	db_q_int64(q, 1, day);
	if ((rc = db_q_step(q)) != DB_Q_ROW) {
		if (rc == DB_Q_DONE)
			log_error("db: visitor key of day %lld: no row",
			    (long long)day);
		else
			db_fail(db, "visitor key: read");
		db_q_reset(q);
		goto fail;
	}
	blob = db_q_col_blob(q, 0, &len);
	if (blob == NULL || len != DAYKEY_LEN) {
		log_error("db: visitor key of day %lld: not %d bytes",
		    (long long)day, DAYKEY_LEN);
		db_q_reset(q);
		goto fail;
	}
	memcpy(out, blob, DAYKEY_LEN);
	/* The reset forgets the row, key included, on either store. */
	db_q_reset(q);
	if ((q = db_q(db, sql_forget)) == NULL)
		goto fail;
	db_q_int64(q, 1, keep_from);
	if (db_q_done(db, q, "visitor key: forget") == -1)
		goto fail;
	forgot = db_q_changes(q) > 0;
	if (db_commit(db) == -1) {
		explicit_bzero(out, DAYKEY_LEN);
		return -1;
	}
	if (forgot)
		daykey_scrub(db);
	return 0;
fail:
	explicit_bzero(out, DAYKEY_LEN);
	(void)db_rollback(db);
	return -1;
}
