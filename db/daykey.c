/*
 * daykey: the shared visitor key of each UTC day (table visitor_keys):
 * first offer wins, past days deleted with secure_delete.
 */
#include <string.h>

#include "common/log.h"
#include "db/daykey.h"
#include "db/db_int.h"

static const char sql_secure[] = "PRAGMA secure_delete = ON";
static const char sql_offer[] =
    "INSERT OR IGNORE INTO visitor_keys (day, key) VALUES (?1, ?2)";
static const char sql_read[] = "SELECT key FROM visitor_keys WHERE day = ?1";
static const char sql_forget[] = "DELETE FROM visitor_keys WHERE day < ?1";

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

int
db_daykey_get(struct db *db, int64_t day, int64_t keep_from,
    const unsigned char fresh[DAYKEY_LEN], unsigned char out[DAYKEY_LEN])
{
	sqlite3_stmt *st;
	const void *blob;
	int rc, forgot;

	if (daykey_secure(db) == -1 || db_begin(db) == -1)
		return -1;
	if ((st = db_stmt(db, sql_offer)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, day);
	sqlite3_bind_blob(st, 2, fresh, DAYKEY_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_clear_bindings(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, "visitor key: offer");
		goto fail;
	}
	if ((st = db_stmt(db, sql_read)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, day);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			log_error("db: visitor key of day %lld: no row",
			    (long long)day);
		else
			db_fail(db, "visitor key: read");
		sqlite3_reset(st);
		goto fail;
	}
	blob = sqlite3_column_blob(st, 0);
	if (blob == NULL || sqlite3_column_bytes(st, 0) != DAYKEY_LEN) {
		log_error("db: visitor key of day %lld: not %d bytes",
		    (long long)day, DAYKEY_LEN);
		sqlite3_reset(st);
		goto fail;
	}
	memcpy(out, blob, DAYKEY_LEN);
	sqlite3_reset(st);
	if ((st = db_stmt(db, sql_forget)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, keep_from);
	if (db_step_done(db, st, "visitor key: forget") == -1)
		goto fail;
	forgot = sqlite3_changes(db->h) > 0;
	if (db_commit(db) == -1) {
		explicit_bzero(out, DAYKEY_LEN);
		return -1;
	}
	/* The zeroed page is in the WAL; copy it over the old one in the
	 * database file now rather than at the next automatic checkpoint,
	 * which a quiet redirector may not reach for days. Passive: it
	 * waits for nobody, and what it cannot copy yet a later one will. */
	if (forgot)
		(void)sqlite3_wal_checkpoint_v2(db->h, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return 0;
fail:
	explicit_bzero(out, DAYKEY_LEN);
	(void)db_rollback(db);
	return -1;
}
