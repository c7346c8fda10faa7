/*
 * hits: the INSERT behind every recorded hit, run by the redirector's
 * group-commit writer (redirector/hitlog.c) many rows per transaction.
 */
#include <errno.h>
#include <string.h>

#include "db/db_int.h"
#include "db/hits.h"

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
    "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor) VALUES "
#define ROW1	"(?, ?, ?, ?, ?, ?)"
#define ROW2	ROW1 ", " ROW1
#define ROW4	ROW2 ", " ROW2
#define ROW8	ROW4 ", " ROW4
#define ROW16	ROW8 ", " ROW8
#define ROW32	ROW16 ", " ROW16
#define HIT_COLS	6

/* One statement per row count, the large ones first: a statement costs
 * its cursors and its journal whatever the number of rows. */
static const struct {
	size_t		 rows;
	const char	*sql;
} inserts[] = {
	{ 32, INSERT_HEAD ROW32 },
	{ 8, INSERT_HEAD ROW8 },
	{ 1, INSERT_HEAD ROW1 },
};

static void
hits_bind(sqlite3_stmt *st, int base, const struct hit *h)
{
	sqlite3_bind_int64(st, base + 1, h->link_id);
	sqlite3_bind_int64(st, base + 2, h->ts);
	sqlite3_bind_text(st, base + 3, db_hits_kind_name(h->kind), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, base + 4, db_hits_class_name(h->class), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, base + 5, h->repeat ? 1 : 0);
	if (h->has_visitor)
		sqlite3_bind_blob(st, base + 6, h->visitor, HIT_VISITOR_LEN,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(st, base + 6);
}

static const char sql_next_id[] =
    "SELECT coalesce(max(id), 0) + 1 FROM hits";

int
db_hits_next_id(struct db *db, int64_t *id)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_next_id)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_fail(db, "next hit id");
		sqlite3_reset(st);
		return -1;
	}
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
db_hits_insert_many(struct db *db, const struct hit *const *h, size_t n,
    int64_t *last)
{
	sqlite3_stmt *st;
	size_t i, j, k, r;

	for (i = 0; i < n; i += r) {
		for (k = 0; inserts[k].rows > n - i; k++)
			;
		r = inserts[k].rows;
		if ((st = db_stmt(db, inserts[k].sql)) == NULL)
			return -1;
		for (j = 0; j < r; j++)
			hits_bind(st, (int)(j * HIT_COLS), h[i + j]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, "insert hit");
			sqlite3_reset(st);
			return -1;
		}
		sqlite3_reset(st);
	}
	if (last != NULL)
		*last = sqlite3_last_insert_rowid(db->h);
	return 0;
}

static const char sql_revise_get[] =
    "SELECT class FROM hits WHERE id = ?";
static const char sql_revise_set[] =
    "UPDATE hits SET class = ?2 WHERE id = ?1";
static const char sql_revise_dirty[] =
    "INSERT OR IGNORE INTO report_dirty (link_id, day) "
    "SELECT link_id, ts / 86400 FROM hits WHERE id = ?";

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
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_revise_get)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, "revise hit");
	}
	*from = class_from_name(db_col_text(st, 0));
	sqlite3_reset(st);
	if (*from == to || (to == HIT_SELF && *from != HIT_HUMAN))
		return 0;
	if ((st = db_stmt(db, sql_revise_set)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, class_names[to], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "revise hit");
	if ((st = db_stmt(db, sql_revise_dirty)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "revise hit");
	return 1;
}

int
db_hits_disk_full(struct db *db)
{
	int rc = sqlite3_extended_errcode(db->h) & 0xff;

	return rc == SQLITE_FULL || (rc == SQLITE_IOERR &&
	    sqlite3_system_errno(db->h) == ENOSPC);
}

static const char sql_health[] =
    "INSERT INTO redirector_health (id, alive_at) VALUES (1, ?) "
    "ON CONFLICT (id) DO UPDATE SET alive_at = excluded.alive_at";

int
db_hits_touch_health(struct db *db, time_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_health)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, "health probe");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

static const char sql_gen[] =
    "SELECT gen FROM link_generation WHERE id = 1";

int
db_hits_generation(struct db *db, uint64_t *gen)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_gen)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_fail(db, "link generation");
		sqlite3_reset(st);
		return -1;
	}
	*gen = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
db_hits_writer_tune(struct db *db, int autocheckpoint)
{
	if (db_exec(db, "PRAGMA cache_size = -8192") == -1)
		return -1;
	return db_exec(db, autocheckpoint ? "PRAGMA wal_autocheckpoint = 1000" :
	    "PRAGMA wal_autocheckpoint = 0");
}

int
db_hits_checkpoint(struct db *db)
{
	int rc = sqlite3_wal_checkpoint_v2(db->h, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return db_fail(db, "checkpoint");
	return 0;
}
