/*
 * hits: the INSERT behind every recorded hit, run by the redirector's
 * group-commit writer (redirector/hitlog.c) many rows per transaction,
 * the same statements on either store (db/stmt.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/hits.h"
#include "db/pg.h"
#include "db/pgarr.h"
#include "db/stmt.h"

static const char *const class_names[HIT_NCLASS] = {
	[HIT_HUMAN] = "human", [HIT_BOT] = "bot",
	[HIT_PREVIEW] = "preview", [HIT_HEAD] = "head",
	[HIT_SCANNER] = "scanner", [HIT_SELF] = "self",
};

const char *
db_hits_class_name(enum hit_class c)
{
	return (unsigned)c < HIT_NCLASS ? class_names[c] : "human";
}

const char *
db_hits_kind_name(enum hit_kind k)
{
	return k == HIT_SHARE ? "share" : "click";
}

#define INSERT_HEAD \
    "INSERT INTO hits (id, link_id, ts, kind, class, repeat, visitor) " \
    "VALUES "
#define ROW1	"(?, ?, ?, ?, ?, ?, ?)"
#define ROW2	ROW1 ", " ROW1
#define ROW4	ROW2 ", " ROW2
#define ROW8	ROW4 ", " ROW4
#define ROW16	ROW8 ", " ROW8
#define ROW32	ROW16 ", " ROW16
#define HIT_COLS	7
/* The same without the id, which SQLite then makes one more than the
 * largest: what db_hits_reserve() reserved in the same transaction. An
 * explicit rowid costs SQLite a seek per row to check that it is free. */
#define INSERT_HEAD_ROWID \
    "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor) VALUES "
#define RROW1	"(?, ?, ?, ?, ?, ?)"
#define RROW2	RROW1 ", " RROW1
#define RROW4	RROW2 ", " RROW2
#define RROW8	RROW4 ", " RROW4
#define RROW16	RROW8 ", " RROW8
#define RROW32	RROW16 ", " RROW16

/* One statement per row count, the large ones first: a statement costs
 * its cursors and its journal (SQLite) or its round trip (PostgreSQL)
 * whatever the number of rows. */
static const struct {
	size_t		 rows;
	const char	*sql;
	const char	*rowid;		/* SQLite, ids made by the insert */
} inserts[] = {
	{ 32, INSERT_HEAD ROW32, INSERT_HEAD_ROWID RROW32 },
	{ 8, INSERT_HEAD ROW8, INSERT_HEAD_ROWID RROW8 },
	{ 1, INSERT_HEAD ROW1, INSERT_HEAD_ROWID RROW1 },
};
#define NINSERTS	(sizeof(inserts) / sizeof(inserts[0]))

/* Binds h as the row of a multi-row INSERT that begins at parameter base
 * + 1, with its id unless id is 0. */
static void
hits_bind(struct db_q *q, int base, int64_t id, const struct hit *h)
{
	if (id != 0)
		db_q_int64(q, ++base, id);
	db_q_int64(q, base + 1, h->link_id);
	db_q_int64(q, base + 2, h->ts);
	/* The names are constants, the hit outlives the statement's step. */
	db_q_text_static(q, base + 3, db_hits_kind_name(h->kind));
	db_q_text_static(q, base + 4, db_hits_class_name(h->class));
	db_q_int64(q, base + 5, h->repeat ? 1 : 0);
	if (h->has_visitor)
		db_q_blob_static(q, base + 6, h->visitor, HIT_VISITOR_LEN);
	else
		db_q_null(q, base + 6);
}

/* SQLite: the caller's transaction holds the write lock, so the ids after
 * the largest are free until it ends. PostgreSQL: each value of the
 * identity sequence, which steps by HITS_ID_BLOCK (migration 007), is a
 * block of that many ids no other session gets: one nextval for up to
 * HITS_ID_BLOCK hits, where one per hit was a sixth of the server's time
 * for a batch. Ids increase within a session, with gaps (the rest of a
 * block, another redirector's blocks, a rolled back batch's). The hit
 * writer keeps a block ahead for its next batches (batch_open_pg); a
 * batch whose ids a report's fold passed meanwhile says so
 * (sql_insert_batch). */
static const struct db_sql sql_reserve = {
	"SELECT coalesce(max(id), 0) + 1 FROM hits",
	/* The sequence looked up once (an InitPlan), not per row. */
	"SELECT nextval((SELECT CAST(pg_get_serial_sequence('hits', 'id') "
	"AS regclass))) FROM generate_series(1, CAST(?1 AS integer)) "
	"ORDER BY 1",
};

int
db_hits_reserve(struct db *db, size_t n, int64_t *ids)
{
	struct db_q *q;
	size_t i = 0, k;
	int pg = db_is_pg(db);

	if (n == 0)
		return 0;
	if ((q = db_q_pair(db, &sql_reserve)) == NULL)
		return -1;
	if (pg)
		db_q_int64(q, 1, (int64_t)((n + HITS_ID_BLOCK - 1) /
		    HITS_ID_BLOCK));
	/* SQLite answers one row, the first id; PostgreSQL the first of
	 * each block. */
	while (i < n && db_q_step(q) == DB_Q_ROW) {
		ids[i] = db_q_col_int64(q, 0);
		for (k = 1, i++; pg && k < HITS_ID_BLOCK && i < n; k++, i++)
			ids[i] = ids[i - 1] + 1;
	}
	if (i == 1 && !pg)
		for (; i < n; i++)
			ids[i] = ids[i - 1] + 1;
	if (i < n) {
		db_fail(db, "reserve hit ids");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

/* Inserts the n hits *h[0..n-1] with ids[0..n-1]; on SQLite, when
 * rowid, lets SQLite make the ids and checks that they are those. */
static int
insert_rows(struct db *db, const struct hit *const *h, const int64_t *ids,
    size_t n, int rowid)
{
	struct db_q *q;
	size_t i, j, k, r;
	int cols = rowid ? HIT_COLS - 1 : HIT_COLS;

	for (i = 0; i < n; i += r) {
		for (k = 0; inserts[k].rows > n - i; k++)
			;
		r = inserts[k].rows;
		if ((q = db_q(db, rowid ? inserts[k].rowid :
		    inserts[k].sql)) == NULL)
			return -1;
		for (j = 0; j < r; j++)
			hits_bind(q, (int)j * cols, rowid ? 0 : ids[i + j],
			    h[i + j]);
		if (db_q_done(db, q, "insert hit") == -1)
			return -1;
	}
	if (rowid && n > 0 && sqlite3_last_insert_rowid(db->h) != ids[n - 1]) {
		log_error("db: insert hit: id %lld, not the %lld reserved",
		    (long long)sqlite3_last_insert_rowid(db->h),
		    (long long)ids[n - 1]);
		return -1;
	}
	return 0;
}

int
db_hits_insert_many(struct db *db, const struct hit *const *h,
    const int64_t *ids, size_t n, int64_t *last)
{
	int64_t *own = NULL;
	int rc = -1;

	if (ids == NULL && n > 0) {
		own = xcalloc(n, sizeof(*own));
		if (db_hits_reserve(db, n, own) == -1)
			goto out;
		ids = own;
	}
	if (insert_rows(db, h, ids, n, 0) == -1)
		goto out;
	if (last != NULL && n > 0)
		*last = ids[n - 1];
	rc = 0;
out:
	free(own);
	return rc;
}

static int begin_pg(struct db *, struct db_q *);

static const char sql_revise_get[] =
    "SELECT class FROM hits WHERE id = ?";
static const char sql_revise_set[] =
    "UPDATE hits SET class = ?2 WHERE id = ?1";
static const char sql_revise_dirty[] =
    "INSERT INTO report_dirty (link_id, day) "
    "SELECT link_id, ts / 86400 FROM hits WHERE id = ?1 "
    "ON CONFLICT (link_id, day) DO NOTHING";

static enum hit_class
class_from_name(const char *s)
{
	size_t c;

	for (c = 0; c < HIT_NCLASS; c++)
		if (strcmp(s, class_names[c]) == 0)
			return (enum hit_class)c;
	return HIT_HUMAN;
}

int
db_hits_revise(struct db *db, int64_t id, enum hit_class to,
    enum hit_class *from)
{
	struct db_q *q;
	enum db_q_step rc;

	if (db_is_pg(db) && db->hit_deferred && begin_pg(db, NULL) == -1)
		return -1;
	if ((q = db_q(db, sql_revise_get)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	rc = db_q_step(q);
	if (rc == DB_Q_DONE) {
		db_q_reset(q);
		return 0;
	}
	if (rc != DB_Q_ROW) {
		db_fail(db, "revise hit");
		db_q_reset(q);
		return -1;
	}
	*from = class_from_name(db_q_col_text(q, 0));
	db_q_reset(q);
	if (*from == to || (to == HIT_SELF && *from != HIT_HUMAN))
		return 0;
	if ((q = db_q(db, sql_revise_set)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	db_q_text(q, 2, class_names[to]);
	if (db_q_done(db, q, "revise hit") == -1)
		return -1;
	if ((q = db_q(db, sql_revise_dirty)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	if (db_q_done(db, q, "revise hit") == -1)
		return -1;
	return 1;
}

/*
 * The store-wide judge (redirector/rejudge.c): every node's hits by
 * second, with what the judge needs of each link (its employee, its
 * digest and when that went out, as the redirector's lookup reads them,
 * db/redirect.c), and the first second not judged yet.
 */
static const char sql_judged_get[] =
    "SELECT judged_to FROM report_state WHERE id = 1";
static const char sql_judged_set[] =
    "UPDATE report_state SET judged_to = ?2 WHERE id = 1 AND judged_to = ?1";
/* The pages the judge has passed, two days after: it reads again only
 * the window before judged_to (a minute at most). */
#define PAGES_KEEP	(2 * 86400)
static const char sql_pages_forget[] =
    "DELETE FROM page_views WHERE ts < ?1";
static const char sql_scan[] =
    "SELECT h.id, h.link_id, h.ts, h.kind, h.class, h.visitor, "
    "l.employee_id, s.ledger_id, "
    "CASE d.state WHEN 'sent' THEN d.updated_at "
    "WHEN 'sending' THEN d.claimed_at END "
    "FROM hits h LEFT JOIN links l ON l.id = h.link_id "
    "LEFT JOIN suggestions s ON s.employee_id = l.employee_id "
    "AND s.post_id = l.post_id LEFT JOIN ledger d ON d.id = s.ledger_id "
    "WHERE h.ts >= ?1 AND h.ts < ?2 ORDER BY h.ts, h.id";

int
db_hits_judged_to(struct db *db, int64_t *ts)
{
	struct db_q *q;

	if ((q = db_q(db, sql_judged_get)) == NULL)
		return -1;
	if (db_q_step(q) != DB_Q_ROW) {
		db_fail(db, "judged_to");
		db_q_reset(q);
		return -1;
	}
	*ts = db_q_col_int64(q, 0);
	db_q_reset(q);
	return 0;
}

int
db_hits_judged_set(struct db *db, int64_t old, int64_t ts)
{
	struct db_q *q;
	int64_t n;

	if ((q = db_q(db, sql_judged_set)) == NULL)
		return -1;
	db_q_int64(q, 1, old);
	db_q_int64(q, 2, ts);
	if (db_q_step(q) != DB_Q_DONE) {
		db_fail(db, "judged_to");
		db_q_reset(q);
		return -1;
	}
	n = db_q_changes(q);
	db_q_reset(q);
	if (n == 0)
		return 0;
	if ((q = db_q(db, sql_pages_forget)) == NULL)
		return -1;
	db_q_int64(q, 1, ts - PAGES_KEEP);
	return db_q_done(db, q, "forget pages") == -1 ? -1 : 1;
}

static const char sql_nth_ts[] =
    "SELECT ts FROM hits WHERE ts >= ?1 AND ts < ?2 ORDER BY ts "
    "LIMIT 1 OFFSET ?3";

static const char sql_nth_page_ts[] =
    "SELECT ts FROM page_views WHERE ts >= ?1 AND ts < ?2 ORDER BY ts "
    "LIMIT 1 OFFSET ?3";

static int
nth_ts(struct db *db, const char *sql, int64_t from, int64_t to, int64_t n,
    int64_t *ts)
{
	struct db_q *q;
	enum db_q_step rc;

	if ((q = db_q(db, sql)) == NULL)
		return -1;
	db_q_int64(q, 1, from);
	db_q_int64(q, 2, to);
	db_q_int64(q, 3, n);
	if ((rc = db_q_step(q)) == DB_Q_ROW)
		*ts = db_q_col_int64(q, 0);
	else if (rc != DB_Q_DONE) {
		db_fail(db, "scan hits");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return rc == DB_Q_ROW;
}

int
db_hits_nth_ts(struct db *db, int64_t from, int64_t to, int64_t n,
    int64_t *ts)
{
	return nth_ts(db, sql_nth_ts, from, to, n, ts);
}

int
db_hits_nth_page_ts(struct db *db, int64_t from, int64_t to, int64_t n,
    int64_t *ts)
{
	return nth_ts(db, sql_nth_page_ts, from, to, n, ts);
}

/* PostgreSQL: the hits of ids (an array) revised in one statement, their
 * days and links named in report_dirty, as db_hits_revise does one at a
 * time: to scanner (from any class), to self (a human click), or a share
 * made a repeat. SQLite: the same for one id, ?1, a statement each. */
#define REVISE_MANY(set, cond)						\
    "WITH r AS (UPDATE hits SET " set " "				\
    "WHERE id = ANY(CAST(?1 AS bigint[])) AND " cond " "		\
    "RETURNING link_id, ts), "						\
    "d AS (INSERT INTO report_dirty (link_id, day) "			\
    "SELECT DISTINCT link_id, ts / 86400 FROM r "			\
    "ON CONFLICT (link_id, day) DO NOTHING) "				\
    "SELECT count(*) FROM r"
#define SELF_SET	"class = 'self'"
#define SELF_COND	"class = 'human' AND kind = 'click'"
#define REPEAT_SET	"repeat = 1"
#define REPEAT_COND	"repeat = 0 AND kind = 'share'"

static const char sql_scanner_many[] =
    REVISE_MANY("class = 'scanner'", "class <> 'scanner'");
static const char sql_self_many[] = REVISE_MANY(SELF_SET, SELF_COND);
static const char sql_self_one[] =
    "UPDATE hits SET " SELF_SET " WHERE id = ?1 AND " SELF_COND;
static const char sql_repeat_many[] = REVISE_MANY(REPEAT_SET, REPEAT_COND);
static const char sql_repeat_one[] =
    "UPDATE hits SET " REPEAT_SET " WHERE id = ?1 AND " REPEAT_COND;

/* One statement on PostgreSQL: ids as an array literal into sql. */
static long
revise_pg(struct db *db, const char *sql, const int64_t *ids, size_t n)
{
	struct db_q *q;
	struct pgarr a;
	const char *lit;
	long done;
	size_t i;
	int rc;

	if ((q = db_q(db, sql)) == NULL)
		return -1;
	pgarr_init(&a);
	for (i = 0; i < n; i++)
		pgarr_int(&a, ids[i]);
	rc = (lit = pgarr_end(&a)) == NULL ? -1 : db_q_text(q, 1, lit);
	pgarr_release(&a);
	if (rc == -1) {
		db_q_reset(q);
		log_error("db: revise hits: out of memory");
		return -1;
	}
	if (db_q_step(q) != DB_Q_ROW) {
		db_fail(db, "revise hits");
		db_q_reset(q);
		return -1;
	}
	done = (long)db_q_col_int64(q, 0);
	db_q_reset(q);
	return done;
}

/* SQLite: sql for each id, and its day named when it changed the row. */
static long
revise_each(struct db *db, const char *sql, const int64_t *ids, size_t n)
{
	struct db_q *q;
	long done = 0;
	int64_t changed;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((q = db_q(db, sql)) == NULL)
			return -1;
		db_q_int64(q, 1, ids[i]);
		if (db_q_step(q) != DB_Q_DONE) {
			db_fail(db, "revise hits");
			db_q_reset(q);
			return -1;
		}
		changed = db_q_changes(q);
		db_q_reset(q);
		if (changed == 0)
			continue;
		if ((q = db_q(db, sql_revise_dirty)) == NULL)
			return -1;
		db_q_int64(q, 1, ids[i]);
		if (db_q_done(db, q, "revise hits") == -1)
			return -1;
		done++;
	}
	return done;
}

long
db_hits_revise_scanner(struct db *db, const int64_t *ids, size_t n)
{
	enum hit_class from;
	long done = 0;
	size_t i;
	int rc;

	if (n == 0)
		return 0;
	if (db_is_pg(db))
		return revise_pg(db, sql_scanner_many, ids, n);
	for (i = 0; i < n; i++) {
		if ((rc = db_hits_revise(db, ids[i], HIT_SCANNER, &from)) == -1)
			return -1;
		done += rc;
	}
	return done;
}

long
db_hits_revise_self(struct db *db, const int64_t *ids, size_t n)
{
	if (n == 0)
		return 0;
	return db_is_pg(db) ? revise_pg(db, sql_self_many, ids, n) :
	    revise_each(db, sql_self_one, ids, n);
}

long
db_hits_revise_repeat(struct db *db, const int64_t *ids, size_t n)
{
	if (n == 0)
		return 0;
	return db_is_pg(db) ? revise_pg(db, sql_repeat_many, ids, n) :
	    revise_each(db, sql_repeat_one, ids, n);
}

/* The columns id, link_id, ts, kind, class, visitor of a scan's row into
 * h (repeat as 0), zeroed first. */
static void
scan_row(struct db_q *q, struct hit *h)
{
	const void *v;
	size_t len;

	memset(h, 0, sizeof(*h));
	h->link_id = db_q_col_int64(q, 1);
	h->ts = db_q_col_int64(q, 2);
	h->kind = strcmp(db_q_col_text(q, 3), "share") == 0 ?
	    HIT_SHARE : HIT_CLICK;
	h->class = class_from_name(db_q_col_text(q, 4));
	if ((v = db_q_col_blob(q, 5, &len)) != NULL &&
	    len == HIT_VISITOR_LEN) {
		memcpy(h->visitor, v, HIT_VISITOR_LEN);
		h->has_visitor = 1;
	}
}

/* The shares of some seconds (hits_shares, migration 009) and the
 * clicks, whatever their class, with a visitor. */
static const char sql_visits_shares[] =
    "SELECT id, link_id, ts, kind, class, visitor, repeat FROM hits "
    "WHERE kind = 'share' AND ts >= ?1 AND ts < ?2 "
    "AND visitor IS NOT NULL ORDER BY ts, id";
static const char sql_visits_clicks[] =
    "SELECT id, link_id, ts, kind, class, visitor, repeat FROM hits "
    "WHERE ts >= ?1 AND ts < ?2 AND kind = 'click' "
    "AND visitor IS NOT NULL ORDER BY ts, id";

int
db_hits_scan_visits(struct db *db, enum hit_kind kind, int64_t from,
    int64_t to, int (*fn)(void *, int64_t, struct hit *), void *arg)
{
	struct db_q *q;
	enum db_q_step rc;
	struct hit h;
	int stop = 0;

	if ((q = db_q(db, kind == HIT_SHARE ? sql_visits_shares :
	    sql_visits_clicks)) == NULL)
		return -1;
	db_q_int64(q, 1, from);
	db_q_int64(q, 2, to);
	while (!stop && (rc = db_q_step(q)) == DB_Q_ROW) {
		scan_row(q, &h);
		h.repeat = db_q_col_int64(q, 6) != 0;
		if (h.has_visitor)
			stop = fn(arg, db_q_col_int64(q, 0), &h);
	}
	if (!stop && rc != DB_Q_DONE) {
		db_fail(db, "scan hits");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

/* The footer's pages served in some seconds (migration 010), as the
 * judge takes them: no id, the page as a negative link. */
static const char sql_scan_pages[] =
    "SELECT ts, employee_id, digest_id, delivered, page FROM page_views "
    "WHERE ts >= ?1 AND ts < ?2 ORDER BY ts, id";

struct pages {
	struct hit	*v;
	size_t		 n, cap, next;
};

static int
pages_read(struct db *db, int64_t from, int64_t to, struct pages *pg)
{
	struct db_q *q;
	enum db_q_step rc;
	struct hit *h;

	if ((q = db_q(db, sql_scan_pages)) == NULL)
		return -1;
	db_q_int64(q, 1, from);
	db_q_int64(q, 2, to);
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		if (pg->n == pg->cap) {
			pg->cap = pg->cap ? pg->cap * 2 : 64;
			pg->v = xreallocarray(pg->v, pg->cap, sizeof(*pg->v));
		}
		h = &pg->v[pg->n++];
		memset(h, 0, sizeof(*h));
		h->ts = db_q_col_int64(q, 0);
		h->employee_id = db_q_col_int64(q, 1);
		h->digest_id = db_q_col_int64(q, 2);
		h->delivered = db_q_col_int64(q, 3);
		h->link_id = -db_q_col_int64(q, 4);
	}
	if (rc != DB_Q_DONE) {
		db_fail(db, "scan pages");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

/* Gives fn the pages of the seconds up to ts (INT64_MAX: all that are
 * left): a second's pages before its hits. Returns fn's stop. */
static int
pages_give(struct pages *pg, int64_t ts,
    int (*fn)(void *, int64_t, struct hit *), void *arg)
{
	struct hit h;

	while (pg->next < pg->n && pg->v[pg->next].ts <= ts) {
		h = pg->v[pg->next++];
		if (fn(arg, 0, &h) != 0)
			return 1;
	}
	return 0;
}

int
db_hits_scan(struct db *db, int64_t from, int64_t to,
    int (*fn)(void *, int64_t, struct hit *), void *arg)
{
	struct pages pg = { NULL, 0, 0, 0 };
	struct db_q *q;
	enum db_q_step rc = DB_Q_DONE;
	struct hit h;
	int stop = 0;

	/* The pages first, all of them: a few a digest at most, and one
	 * statement open at a time. */
	if (pages_read(db, from, to, &pg) == -1) {
		free(pg.v);
		return -1;
	}
	if ((q = db_q(db, sql_scan)) == NULL) {
		free(pg.v);
		return -1;
	}
	db_q_int64(q, 1, from);
	db_q_int64(q, 2, to);
	while (!stop && (rc = db_q_step(q)) == DB_Q_ROW) {
		scan_row(q, &h);
		h.employee_id = db_q_col_int64(q, 6);
		h.digest_id = db_q_col_int64(q, 7);
		h.delivered = db_q_col_int64(q, 8);
		if ((stop = pages_give(&pg, h.ts, fn, arg)) == 0)
			stop = fn(arg, db_q_col_int64(q, 0), &h);
	}
	if (!stop && rc != DB_Q_DONE) {
		db_fail(db, "scan hits");
		db_q_reset(q);
		free(pg.v);
		return -1;
	}
	db_q_reset(q);
	if (!stop)
		(void)pages_give(&pg, INT64_MAX, fn, arg);
	free(pg.v);
	return 0;
}

/* SQLite, one row a statement; PostgreSQL, the batch's pages in one
 * statement over arrays: a flood of pages (each request for one is a
 * row) costs the batch one statement. */
static const char sql_page_add[] =
    "INSERT INTO page_views (ts, employee_id, digest_id, delivered, page) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_pages_add_pg[] =
    "INSERT INTO page_views (ts, employee_id, digest_id, delivered, page) "
    "SELECT * FROM unnest(CAST(?1 AS bigint[]), CAST(?2 AS bigint[]), "
    "CAST(?3 AS bigint[]), CAST(?4 AS bigint[]), CAST(?5 AS integer[]))";

/* PostgreSQL: the statement bound, left for db_hits_batch_close to send
 * in its pipeline (prepared now: nothing is prepared inside one). */
static int
pages_add_pg(struct db *db, const struct hit *const *h, size_t n)
{
	struct pgarr a[5];
	const char *lit;
	struct db_q *q;
	size_t i, c, k = 0;
	int rc = 0;

	db->hit_pages = NULL;
	for (i = 0; i < n; i++)
		k += h[i]->link_id < 0;
	if (k == 0)
		return 0;
	if ((q = db_q(db, sql_pages_add_pg)) == NULL)
		return -1;
	for (c = 0; c < 5; c++)
		pgarr_init(&a[c]);
	for (i = 0; i < n; i++) {
		if (h[i]->link_id >= 0)
			continue;	/* not a page */
		pgarr_int(&a[0], h[i]->ts);
		pgarr_int(&a[1], h[i]->employee_id);
		pgarr_int(&a[2], h[i]->digest_id);
		pgarr_int(&a[3], h[i]->delivered);
		pgarr_int(&a[4], -h[i]->link_id);
	}
	for (c = 0; c < 5; c++) {
		if ((lit = pgarr_end(&a[c])) == NULL ||
		    db_q_text(q, (int)c + 1, lit) == -1)
			rc = -1;
		pgarr_release(&a[c]);
	}
	if (rc == -1) {
		db_q_reset(q);
		log_error("db: page views: out of memory");
		return -1;
	}
	db->hit_pages = q;
	return 0;
}

int
db_hits_pages(struct db *db, const struct hit *const *h, size_t n)
{
	struct db_q *q;
	size_t i;

	if (n == 0)
		return 0;
	if (db_is_pg(db))
		return pages_add_pg(db, h, n);
	for (i = 0; i < n; i++) {
		if (h[i]->link_id >= 0)
			continue;	/* not a page */
		if ((q = db_q(db, sql_page_add)) == NULL)
			return -1;
		db_q_int64(q, 1, h[i]->ts);
		db_q_int64(q, 2, h[i]->employee_id);
		db_q_int64(q, 3, h[i]->digest_id);
		db_q_int64(q, 4, h[i]->delivered);
		db_q_int64(q, 5, -h[i]->link_id);
		if (db_q_done(db, q, "page view") == -1)
			return -1;
	}
	return 0;
}

int
db_hits_disk_full(struct db *db)
{
	int rc;

	if (db_is_pg(db))	/* 53100 disk_full: the server's to say */
		return 0;
	rc = sqlite3_extended_errcode(db->h) & 0xff;
	return rc == SQLITE_FULL || (rc == SQLITE_IOERR &&
	    sqlite3_system_errno(db->h) == ENOSPC);
}

static const char sql_health[] =
    "INSERT INTO redirector_health (id, alive_at) VALUES (1, ?) "
    "ON CONFLICT (id) DO UPDATE SET alive_at = excluded.alive_at";

int
db_hits_touch_health(struct db *db, time_t now)
{
	struct db_q *q;

	if ((q = db_q(db, sql_health)) == NULL)
		return -1;
	db_q_int64(q, 1, (int64_t)now);
	return db_q_done(db, q, "health probe");
}

/* Read in the batch's transaction, so a hit answered from an older
 * cache is rebuilt (HITLOG_STALE). On PostgreSQL a plain read: its
 * snapshot is taken when it runs, so a request that comes after a change
 * of links has committed sees the new generation; one that came while the
 * change was committing may be answered either way, as the two were at
 * the same time. (Read FOR SHARE, the row was locked, a tuple lock
 * written to the WAL by each batch and a MultiXact between redirectors:
 * an eighth of the server's time for a batch of 32.) */
static const struct db_sql sql_gen = {
	"SELECT gen FROM link_generation WHERE id = 1",
	"SELECT gen FROM link_generation WHERE id = 1",
};

int
db_hits_generation(struct db *db, uint64_t *gen)
{
	struct db_q *q;

	if ((q = db_q_pair(db, &sql_gen)) == NULL)
		return -1;
	if (db_q_step(q) != DB_Q_ROW) {
		db_fail(db, "link generation");
		db_q_reset(q);
		return -1;
	}
	*gen = (uint64_t)db_q_col_int64(q, 0);
	db_q_reset(q);
	return 0;
}

/* PostgreSQL: the ids taken ahead and not used yet. */
static size_t
pool_left(const struct db *db)
{
	return (size_t)(db->hit_pool_end - db->hit_pool);
}

/* Reads the blocks qr answered (their first ids) into ids[0..n-1], then
 * into the pool: a block not used up by ids stays there. */
static int
pool_fill(struct db *db, struct db_q *qr, size_t n, int64_t *ids)
{
	size_t i = 0;
	int64_t v;

	while (db_q_step(qr) == DB_Q_ROW) {
		v = db_q_col_int64(qr, 0);
		db->hit_pool = v;
		db->hit_pool_end = v + HITS_ID_BLOCK;
		while (ids != NULL && i < n && db->hit_pool < db->hit_pool_end)
			ids[i++] = db->hit_pool++;
	}
	db_q_reset(qr);
	return i < n ? db_fail(db, "reserve hit ids") : 0;
}

/* Sends BEGIN, the generation and qr (the blocks of ids, left to read;
 * may be NULL) in one round trip. Without qr, for a batch whose open left
 * them to its close: a revision must run inside the transaction. */
static int
begin_pg(struct db *db, struct db_q *qr)
{
	struct db_q *qg;
	size_t failed;

	db->hit_deferred = 0;
	if ((qg = db_q_pair(db, &sql_gen)) == NULL)
		return -1;
	if (pg_pipe_begin(db->pg) == -1)
		return pg_fail(db->pg, "hit batch");
	if (pg_pipe_sql(db->pg, "BEGIN") == -1 || pg_pipe_stmt(qg->pg) == -1 ||
	    (qr != NULL && pg_pipe_stmt(qr->pg) == -1)) {
		(void)pg_pipe_end(db->pg, &failed);
		return pg_fail(db->pg, "hit batch");
	}
	if (pg_pipe_end(db->pg, &failed) == -1)
		return pg_fail(db->pg, "hit batch");
	if (db_q_step(qg) != DB_Q_ROW) {
		db_q_reset(qg);
		if (qr != NULL)
			db_q_reset(qr);
		return db_fail(db, "link generation");
	}
	db->hit_gen = (uint64_t)db_q_col_int64(qg, 0);
	db_q_reset(qg);
	return 0;
}

/* PostgreSQL: with ids enough taken ahead, nothing to send: the batch is
 * one transaction without BEGIN, in db_hits_batch_close's round trip.
 * Else BEGIN, the generation and the ids in one round trip, and a block
 * more for the pool. */
static int
batch_open_pg(struct db *db, size_t n, int64_t *ids, uint64_t *gen)
{
	struct db_q *qr;

	if (n <= pool_left(db)) {
		while (n-- > 0)
			*ids++ = db->hit_pool++;
		db->hit_deferred = 1;
		*gen = 0;	/* told by the close */
		return 0;
	}
	if ((qr = db_q_pair(db, &sql_reserve)) == NULL)
		return -1;
	db_q_int64(qr, 1, (int64_t)((n + HITS_ID_BLOCK - 1) / HITS_ID_BLOCK +
	    1));
	if (begin_pg(db, qr) == -1)
		return -1;
	*gen = db->hit_gen;
	return pool_fill(db, qr, n, ids);
}

int
db_hits_batch_open(struct db *db, int wait, size_t n, int64_t *ids,
    uint64_t *gen)
{
	int rc;

	if (db_is_pg(db)) {
		db->hit_pages = NULL;	/* a batch before that failed */
		return batch_open_pg(db, n, ids, gen);
	}
	if ((rc = wait ? db_begin(db) : db_try_begin(db)) != 0)
		return rc;
	if (db_hits_generation(db, gen) == -1 ||
	    db_hits_reserve(db, n, ids) == -1)
		return -1;
	return 0;
}

/*
 * PostgreSQL: the rows of a batch in one statement whatever their number,
 * one array per column: the server plans and starts one INSERT per batch
 * rather than one per 32, 8 or 1 rows. The same statement reads the link
 * generation, and names the days and links of its rows that came in under
 * a report's fold (below): one statement where there were three.
 *
 * The fold (db/report.c) counts the hits up to the largest id it saw,
 * holding a lock that INSERTs wait for. A batch's ids are taken before
 * its INSERT, so a fold may come between them, after another
 * redirector's larger ids committed: the batch's rows are then under the
 * fold's mark, and would never be counted. The statement takes its locks
 * (waiting for such a fold to end) before its snapshot, so it sees the
 * fold's mark, and names those rows' days and links for the next fold to
 * count again in full (report_dirty, as a revised hit does). Without a
 * fold between, no row is under the mark.
 */
static const char sql_insert_batch[] =
    "WITH ins AS (INSERT INTO hits (id, link_id, ts, kind, class, repeat, "
    "visitor) SELECT * FROM unnest(CAST(?1 AS bigint[]), "
    "CAST(?2 AS bigint[]), CAST(?3 AS bigint[]), CAST(?4 AS text[]), "
    "CAST(?5 AS text[]), CAST(?6 AS integer[]), CAST(?7 AS bytea[])) "
    "RETURNING id, link_id, ts), "
    "late AS (INSERT INTO report_dirty (link_id, day) "
    "SELECT link_id, ts / 86400 FROM ins "
    "WHERE id <= (SELECT last_hit FROM report_state WHERE id = 1) "
    "ON CONFLICT (link_id, day) DO NOTHING) "
    "SELECT gen FROM link_generation WHERE id = 1";

/* Binds the n rows to sql_insert_batch as array literals (db/pgarr.h),
 * one a column: a visitor in bytea's hex form, a hit without one NULL. */
static int
bind_arrays(struct db_q *q, const struct hit *const *h, const int64_t *ids,
    size_t n)
{
	struct pgarr a[HIT_COLS];
	const char *lit;
	size_t i, c;
	int rc = 0;

	for (c = 0; c < HIT_COLS; c++)
		pgarr_init(&a[c]);
	for (i = 0; i < n; i++) {
		pgarr_int(&a[0], ids[i]);
		pgarr_int(&a[1], h[i]->link_id);
		pgarr_int(&a[2], h[i]->ts);
		pgarr_text(&a[3], db_hits_kind_name(h[i]->kind));
		pgarr_text(&a[4], db_hits_class_name(h[i]->class));
		pgarr_int(&a[5], h[i]->repeat ? 1 : 0);
		if (h[i]->has_visitor)
			pgarr_bytea(&a[6], h[i]->visitor, HIT_VISITOR_LEN);
		else
			pgarr_null(&a[6]);
	}
	for (c = 0; c < HIT_COLS; c++) {
		if ((lit = pgarr_end(&a[c])) == NULL ||
		    db_q_text(q, (int)c + 1, lit) == -1)
			rc = -1;
		pgarr_release(&a[c]);
	}
	return rc;
}

/*
 * PostgreSQL: the health row, the rows and the generation in one round
 * trip, committed by the pipeline's sync (the statements between two syncs
 * are one transaction), and a new block of ids for the pool when it holds
 * fewer than this batch took. A batch whose open sent BEGIN (ids short,
 * or a revision) sends COMMIT.
 */
static int
batch_close_pg(struct db *db, time_t probe, const struct hit *const *h,
    const int64_t *ids, size_t n, uint64_t *gen)
{
	struct db_q *qg = NULL, *qh = NULL, *qi = NULL, *qr = NULL;
	struct db_q *qp = db->hit_pages;
	int explicit = !db->hit_deferred;
	size_t failed;
	int before;

	db->hit_pages = NULL;	/* sent now, or never */

	/* Every statement prepared before the pipeline begins. */
	if (n > 0 && (qi = db_q(db, sql_insert_batch)) == NULL)
		return -1;
	if (n == 0 && !explicit && (qg = db_q_pair(db, &sql_gen)) == NULL)
		return -1;
	if (probe != 0 && (qh = db_q(db, sql_health)) == NULL)
		return -1;
	if (n > 0 && pool_left(db) < n &&
	    (qr = db_q_pair(db, &sql_reserve)) == NULL)
		return -1;
	if (qi != NULL && bind_arrays(qi, h, ids, n) == -1) {
		log_error("db: insert hits: a batch too large");
		return -1;
	}
	/* The writer's connection queues nothing (pg_later): the failed
	 * index and pg_pipe_count() below count this batch's statements
	 * alone. */
	if (pg_pipe_begin(db->pg) == -1)
		return pg_fail(db->pg, "hit batch");
	if (qh != NULL) {
		db_q_int64(qh, 1, (int64_t)probe);
		if (pg_pipe_stmt(qh->pg) == -1)
			goto fail;
	}
	/* Never the last statement: the counts below hold. */
	if (qp != NULL && pg_pipe_stmt(qp->pg) == -1)
		goto fail;
	if (qi != NULL && pg_pipe_stmt(qi->pg) == -1)
		goto fail;
	if (qg != NULL && pg_pipe_stmt(qg->pg) == -1)
		goto fail;
	if (qr != NULL) {
		db_q_int64(qr, 1, 1);
		if (pg_pipe_stmt(qr->pg) == -1)
			goto fail;
	}
	if (explicit && pg_pipe_sql(db->pg, "COMMIT") == -1)
		goto fail;
	if (pg_pipe_end(db->pg, &failed) == 0) {
		db->hit_deferred = 0;
		if (qi != NULL || qg != NULL) {
			if (qg == NULL)
				qg = qi;
			if (db_q_step(qg) == DB_Q_ROW)
				db->hit_gen = (uint64_t)db_q_col_int64(qg, 0);
			db_q_reset(qg);
		}
		/* Committed: a block not read is only a gap of ids. */
		if (qr != NULL)
			(void)pool_fill(db, qr, 0, NULL);
		*gen = db->hit_gen;
		return 0;
	}
	/* Committed only once every statement ran: by the sync, or by
	 * COMMIT, the last statement sent (a PREPARE may precede a
	 * statement after the connection was made again). A failure at the
	 * sync, or a connection lost, leaves it unknown. */
	before = explicit ? failed + 1 < pg_pipe_count(db->pg) :
	    failed < pg_pipe_count(db->pg);
	pg_fail(db->pg, before ? "insert hits" : "commit hits");
	return before ? -1 : -2;
fail:
	/* Not all sent (a connection lost, as a rule). The sync would
	 * commit what was, unless BEGIN went first: unknown. */
	(void)pg_pipe_end(db->pg, &failed);
	pg_fail(db->pg, "hit batch");
	return explicit ? -1 : -2;
}

int
db_hits_batch_close(struct db *db, time_t probe, const struct hit *const *h,
    const int64_t *ids, size_t n, uint64_t *gen)
{
	if (db_is_pg(db))
		return batch_close_pg(db, probe, h, ids, n, gen);
	if (probe != 0 && db_hits_touch_health(db, probe) == -1)
		return -1;
	/* The ids are db_hits_batch_open's: the next ones of this very
	 * transaction, which holds the write lock. */
	if (insert_rows(db, h, ids, n, 1) == -1)
		return -1;
	return db_commit(db) == -1 ? -2 : 0;
}

int
db_hits_remote(struct db *db)
{
	return db_is_pg(db);
}

int
db_hits_checkpoints(struct db *db)
{
	return !db_is_pg(db);
}

/* PostgreSQL: the writer's statements are the same few, by key or over
 * a batch's arrays; planned once. Left to choose, the server planned the
 * INSERT of each batch anew (its arrays' lengths change the estimate):
 * 12% of its time for a batch. */
static const char sql_generic_plans[] =
    "SET plan_cache_mode = force_generic_plan";

int
db_hits_writer_tune(struct db *db, int autocheckpoint)
{
	if (db_is_pg(db))
		return pg_session(db->pg, sql_generic_plans);
	if (db_exec(db, "PRAGMA cache_size = -8192") == -1)
		return -1;
	return db_exec(db, autocheckpoint ? "PRAGMA wal_autocheckpoint = 1000" :
	    "PRAGMA wal_autocheckpoint = 0");
}

int
db_hits_checkpoint(struct db *db)
{
	int rc;

	if (db_is_pg(db))
		return 0;
	rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return db_fail(db, "checkpoint");
	return 0;
}

int
db_hits_may_pass(struct db *db)
{
	return db_retryable(db);
}

int
db_hits_reconnect(struct db *db)
{
	return db_revive(db);
}
