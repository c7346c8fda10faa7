/* db/links: create-or-reuse of personal links with random codes. */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/random.h"
#include "db/db_int.h"
#include "db/links.h"

/* Codes carry 59.5 random bits besides their slice (common/random.h): a
 * collision is rare enough that a few draws always find a free one; more
 * means a broken source. */
#define LINK_CODE_TRIES	8

static const char SQL_FIND[] =
    "SELECT code FROM links WHERE employee_id = ?1 AND post_id = ?2 "
    "AND network = ?3";
static const char SQL_INSERT[] =
    "INSERT INTO links (code, employee_id, post_id, network, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

int
db_links_find(struct db *db, int64_t employee_id, int64_t post_id,
    enum network net, char *code)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, SQL_FIND)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	sqlite3_bind_int64(st, 2, post_id);
	sqlite3_bind_text(st, 3, network_name(net), -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, "find link");
	snprintf(code, RAND_CODE_LEN + 1, "%s", db_col_text(st, 0));
	/* Reset at once: a statement left on a row keeps a read open. */
	sqlite3_reset(st);
	return 1;
}

int
db_links_ensure(struct db *db, int64_t employee_id, int64_t post_id,
    enum network net, time_t now, char *code)
{
	sqlite3_stmt *st;
	int i, rc;

	for (i = 0; i < LINK_CODE_TRIES; i++) {
		if ((st = db_stmt(db, SQL_INSERT)) == NULL)
			return -1;
		/* A draw again keeps the slice of the batch. */
		if (i > 0)
			rand_code(code, code);
		else if (!rand_is_base62(code, RAND_CODE_LEN))
			rand_code(code, NULL);
		sqlite3_bind_text(st, 1, code, RAND_CODE_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, employee_id);
		sqlite3_bind_int64(st, 3, post_id);
		sqlite3_bind_text(st, 4, network_name(net), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 1;
		if (rc != SQLITE_CONSTRAINT_UNIQUE)
			return db_fail(db, "create link");
		/* A plain INSERT (cheaper than an upsert, and new links are
		 * the rule): either the triple has its link, to reuse, or
		 * the code is taken, to draw again. */
		if ((rc = db_links_find(db, employee_id, post_id, net,
		    code)) == 1)
			return 0;
		if (rc == -1)
			return -1;
	}
	log_error("db: no free link code after %d draws", LINK_CODE_TRIES);
	return -1;
}
