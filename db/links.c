/* db/links: create-or-reuse of personal links with random codes, on either
 * store. */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/random.h"
#include "db/db_int.h"
#include "db/links.h"
#include "db/pgarr.h"
#include "db/stmt.h"

/* Codes carry 59.5 random bits besides their slice (common/random.h): a
 * collision is rare enough that a few draws always find a free one; more
 * means a broken source. */
#define LINK_CODE_TRIES	8

static const char SQL_FIND[] =
    "SELECT code FROM links WHERE employee_id = ?1 AND post_id = ?2 "
    "AND network = ?3";
/* ON CONFLICT DO NOTHING, not a failed statement: on PostgreSQL a failed
 * statement ends the transaction, and a link another run inserts at the
 * same time is waited for, then found. A row left out is told by the
 * count of rows changed. */
#define LINK_TAIL	" ON CONFLICT DO NOTHING"
static const char SQL_INSERT[] =
    "INSERT INTO links (code, employee_id, post_id, network, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)" LINK_TAIL;

/* SQL_INSERT for 8, 4 and 2 links at once: a statement's setup (cursors on
 * the table, its three indexes and the two parents of the foreign keys,
 * its journal and its end) is paid once for them, and a digest's links
 * (nine, three posts on three networks) go in two statements, not nine. */
#define LINK_ROW	"(?, ?, ?, ?, ?)"
#define LINK_ROW2	LINK_ROW ", " LINK_ROW
#define LINK_ROW4	LINK_ROW2 ", " LINK_ROW2
#define LINK_HEAD	"INSERT INTO links (code, employee_id, post_id, " \
    "network, created_at) VALUES "
static const char SQL_INSERT2[] = LINK_HEAD LINK_ROW2 LINK_TAIL;
static const char SQL_INSERT4[] = LINK_HEAD LINK_ROW4 LINK_TAIL;
static const char SQL_INSERT8[] = LINK_HEAD LINK_ROW4 ", " LINK_ROW4 LINK_TAIL;

/* On PostgreSQL a digest's links in one statement whatever their number:
 * the codes, posts and networks as three arrays, unnested. Each round trip
 * to the server costs more than SQLite's statement setup. */
static const char SQL_INSERT_PG[] =
    "INSERT INTO links (code, employee_id, post_id, network, created_at) "
    "SELECT u.code, ?2, u.post_id, u.network, ?5 FROM "
    "unnest(CAST(?1 AS text[]), CAST(?3 AS bigint[]), "
    "CAST(?4 AS text[])) AS u(code, post_id, network)" LINK_TAIL;

int
db_links_find(struct db *db, int64_t employee_id, int64_t post_id,
    enum network net, char *code)
{
	struct db_q *q;
	enum db_q_step rc;

	if ((q = db_q(db, SQL_FIND)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_int64(q, 2, post_id);
	db_q_text(q, 3, network_name(net));
	rc = db_q_step(q);
	if (rc == DB_Q_ROW)
		snprintf(code, RAND_CODE_LEN + 1, "%s", db_q_col_text(q, 0));
	else if (rc != DB_Q_DONE)
		db_fail(db, "find link");
	/* Reset at once: a statement left on a row keeps a read open. */
	db_q_reset(q);
	return rc == DB_Q_ROW ? 1 : rc == DB_Q_DONE ? 0 : -1;
}

int
db_links_ensure(struct db *db, int64_t employee_id, int64_t post_id,
    enum network net, time_t now, char *code)
{
	struct db_q *q;
	int i, rc;

	for (i = 0; i < LINK_CODE_TRIES; i++) {
		if ((q = db_q(db, SQL_INSERT)) == NULL)
			return -1;
		/* A draw again keeps the slice of the batch. */
		if (i > 0)
			rand_code(code, code);
		else if (!rand_is_base62(code, RAND_CODE_LEN))
			rand_code(code, NULL);
		db_q_text(q, 1, code);
		db_q_int64(q, 2, employee_id);
		db_q_int64(q, 3, post_id);
		db_q_text(q, 4, network_name(net));
		db_q_int64(q, 5, (int64_t)now);
		if (db_q_done(db, q, "create link") == -1)
			return -1;
		if (db_q_changes(q) == 1)
			return 1;
		/* Either the triple has its link, to reuse, or the code is
		 * taken, to draw again. */
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
 * went in, 0 when a constraint left some out, -1 after logging. */
static int
links_insert_many(struct db *db, const char *sql, int64_t employee_id,
    const struct db_link_want *w, int n, time_t now)
{
	struct db_q *q;
	int i;

	if ((q = db_q(db, sql)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		db_q_text(q, 5 * i + 1, w[i].code);
		db_q_int64(q, 5 * i + 2, employee_id);
		db_q_int64(q, 5 * i + 3, w[i].post_id);
		db_q_text(q, 5 * i + 4, network_name(w[i].network));
		db_q_int64(q, 5 * i + 5, (int64_t)now);
	}
	if (db_q_done(db, q, "create links") == -1)
		return -1;
	/* The rows that went in are found again by the one-at-a-time path,
	 * their codes kept. */
	return db_q_changes(q) == n;
}
/* The n links in one statement of SQL_INSERT_PG. Returns 1 when all went
 * in, 0 when a constraint left some out, -1 after logging. */
static int
links_insert_arrays(struct db *db, int64_t employee_id,
    const struct db_link_want *w, size_t n, time_t now)
{
	struct pgarr codes, posts, nets;
	const char *lc, *lp, *ln;
	struct db_q *q;
	size_t i;
	int rc = -1;

	pgarr_init(&codes);
	pgarr_init(&posts);
	pgarr_init(&nets);
	for (i = 0; i < n; i++) {
		pgarr_text(&codes, w[i].code);
		pgarr_int(&posts, w[i].post_id);
		pgarr_text(&nets, network_name(w[i].network));
	}
	if ((lc = pgarr_end(&codes)) == NULL ||
	    (lp = pgarr_end(&posts)) == NULL || (ln = pgarr_end(&nets)) == NULL)
		fatalx("links: out of memory");
	if ((q = db_q(db, SQL_INSERT_PG)) != NULL) {
		db_q_text(q, 1, lc);
		db_q_int64(q, 2, employee_id);
		db_q_text(q, 3, lp);
		db_q_text(q, 4, ln);
		db_q_int64(q, 5, (int64_t)now);
		if (db_q_done(db, q, "create links") == 0)
			rc = db_q_changes(q) == (int64_t)n;
	}
	pgarr_release(&codes);
	pgarr_release(&posts);
	pgarr_release(&nets);
	return rc;
}

int
db_links_ensure_all(struct db *db, int64_t employee_id,
    struct db_link_want *w, size_t n, time_t now)
{
	size_t i = 0, k, batch;
	const char *sql;
	int rc;

	if (db_is_pg(db) && n > 1) {
		for (k = 0; k < n; k++)
			if (!rand_is_base62(w[k].code, RAND_CODE_LEN))
				break;
		rc = k == n ? links_insert_arrays(db, employee_id, w, n,
		    now) : 0;
		if (rc == -1)
			return -1;
		/* As below: one at a time when a code is to draw or a
		 * constraint was met. */
		if (rc == 0)
			for (k = 0; k < n; k++)
				if (db_links_ensure(db, employee_id,
				    w[k].post_id, w[k].network, now,
				    w[k].code) == -1)
					return -1;
		return 0;
	}
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
