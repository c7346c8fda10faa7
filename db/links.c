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

/* SQL_INSERT for 8, 4 and 2 links at once: a statement's setup (cursors on
 * the table, its three indexes and the two parents of the foreign keys,
 * its journal and its end) is paid once for them, and a digest's links
 * (nine, three posts on three networks) go in two statements, not nine. */
#define LINK_ROW	"(?, ?, ?, ?, ?)"
#define LINK_ROW2	LINK_ROW ", " LINK_ROW
#define LINK_ROW4	LINK_ROW2 ", " LINK_ROW2
#define LINK_HEAD	"INSERT INTO links (code, employee_id, post_id, " \
    "network, created_at) VALUES "
static const char SQL_INSERT2[] = LINK_HEAD LINK_ROW2;
static const char SQL_INSERT4[] = LINK_HEAD LINK_ROW4;
static const char SQL_INSERT8[] = LINK_HEAD LINK_ROW4 ", " LINK_ROW4;

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

/* Inserts the n links (8, 4 or 2) in one statement. Returns 1 when all
 * went in, 0 when a constraint undid the statement, -1 after logging. */
static int
links_insert_many(struct db *db, const char *sql, int64_t employee_id,
    const struct db_link_want *w, int n, time_t now)
{
	sqlite3_stmt *st;
	int i, rc;

	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		sqlite3_bind_text(st, 5 * i + 1, w[i].code, RAND_CODE_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 5 * i + 2, employee_id);
		sqlite3_bind_int64(st, 5 * i + 3, w[i].post_id);
		sqlite3_bind_text(st, 5 * i + 4, network_name(w[i].network),
		    -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5 * i + 5, (sqlite3_int64)now);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 1;
	/* ABORT, SQLite's default: the statement's rows are undone, the
	 * transaction's earlier work stays. */
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return 0;
	return db_fail(db, "create links");
}

int
db_links_ensure_all(struct db *db, int64_t employee_id,
    struct db_link_want *w, size_t n, time_t now)
{
	size_t i = 0, k, batch;
	const char *sql;
	int rc;

	while (i < n) {
		batch = n - i >= 8 ? 8 : n - i >= 4 ? 4 : n - i >= 2 ? 2 : 1;
		sql = batch == 8 ? SQL_INSERT8 : batch == 4 ? SQL_INSERT4 :
		    SQL_INSERT2;
		rc = 0;
		if (batch > 1) {
			for (k = i; k < i + batch; k++)
				if (!rand_is_base62(w[k].code, RAND_CODE_LEN))
					break;
			if (k == i + batch && (rc = links_insert_many(db, sql,
			    employee_id, w + i, (int)batch, now)) == -1)
				return -1;
		}
		/* One at a time: a code to draw, or a constraint met. */
		if (rc == 0)
			for (k = i; k < i + batch; k++)
				if (db_links_ensure(db, employee_id,
				    w[k].post_id, w[k].network, now,
				    w[k].code) == -1)
					return -1;
		i += batch;
	}
	return 0;
}
