/*
 * copy: an SQLite store copied into an empty PostgreSQL one. The reading
 * side (the SQLite handle); the rows go through db/pg.c's COPY.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "db/copy.h"
#include "db/db_int.h"
#include "db/pg.h"

/* visitor_keys: each row is the secret of one UTC day, destroyed when the
 * day ends (redirector/visitor.h). A copy would live on in PostgreSQL's
 * WAL, archive and replicas; the first redirector on the new store makes
 * the day's key again, so only the unique visitors of the day of the move
 * may count one person twice. As chorus backup, which keeps none. */
const char *const db_copy_skip[] = { "visitor_keys", NULL };

struct copy_col {
	char		*name;
	int		 bytea;		/* declared BLOB */
};

struct copy_table {
	char		*name;
	char		*quoted;	/* for SQL text, on both stores */
	struct copy_col	*cols;
	size_t		 ncols;
	size_t		*parent;	/* indexes of the tables it refers to */
	size_t		 nparent;
	int		 skip;		/* in db_copy_skip */
	int		 clear;		/* the target's rows give way */
	long long	 seed;		/* rows its migrations write */
	long long	 kept;		/* the target's rows of a skipped
					   table, left as they are */
	long long	 rows;		/* rows in the source */
};

struct copy_plan {
	struct copy_table *t;
	size_t		 n;
	size_t		*order;
};

int
db_copy_order(size_t n, const size_t *const *parent, const size_t *nparent,
    size_t *order)
{
	unsigned char *done = xcalloc(n > 0 ? n : 1, 1);
	size_t k, i, j;
	int ready;

	/* n is a schema's tables: a few dozen, so the quadratic way is the
	 * plain one. Each round takes the first table all of whose parents
	 * are placed. */
	for (k = 0; k < n; k++) {
		for (i = 0; i < n; i++) {
			if (done[i])
				continue;
			ready = 1;
			for (j = 0; j < nparent[i]; j++)
				if (parent[i][j] != i && !done[parent[i][j]])
					ready = 0;
			if (ready)
				break;
		}
		if (i == n) {
			free(done);
			return -1;
		}
		done[i] = 1;
		order[k] = i;
	}
	free(done);
	return 0;
}

static void
plan_free(struct copy_plan *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->t[i].ncols; j++)
			free(p->t[i].cols[j].name);
		free(p->t[i].cols);
		free(p->t[i].parent);
		free(p->t[i].name);
		free(p->t[i].quoted);
	}
	free(p->t);
	free(p->order);
	free(p);
}

static int
plan_index(const struct copy_plan *p, const char *name, size_t *idx)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->t[i].name, name) == 0) {
			*idx = i;
			return 0;
		}
	return -1;
}

/* The columns of t, as declared, in their order. */
static int
plan_columns(struct db *db, struct copy_table *t)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db->h, "SELECT name, upper(type) FROM "
	    "pragma_table_info(?1) ORDER BY cid", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "table columns");
	db_bind_text(st, 1, t->name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->ncols == cap) {
			cap = cap ? 2 * cap : 16;
			t->cols = xreallocarray(t->cols, cap,
			    sizeof(*t->cols));
		}
		t->cols[t->ncols].name = xstrdup(db_col_text(st, 0));
		t->cols[t->ncols].bytea = strcmp(db_col_text(st, 1),
		    "BLOB") == 0;
		t->ncols++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "table columns");
	if (t->ncols == 0) {
		log_error("migrate: table '%s' has no columns", t->name);
		return -1;
	}
	return 0;
}

/* The tables t refers to, from its foreign keys. */
static int
plan_parents(struct db *db, struct copy_plan *p, struct copy_table *t)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0, idx;
	int rc;

	if (sqlite3_prepare_v2(db->h, "SELECT DISTINCT \"table\" FROM "
	    "pragma_foreign_key_list(?1)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "foreign keys");
	db_bind_text(st, 1, t->name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (plan_index(p, db_col_text(st, 0), &idx) == -1) {
			log_error("migrate: table '%s' refers to '%s', which "
			    "is not in the schema", t->name,
			    db_col_text(st, 0));
			sqlite3_finalize(st);
			return -1;
		}
		if (t->nparent == cap) {
			cap = cap ? 2 * cap : 4;
			t->parent = xreallocarray(t->parent, cap,
			    sizeof(*t->parent));
		}
		t->parent[t->nparent++] = idx;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "foreign keys");
	return 0;
}

/* Every table of db's schema (SQLite's own aside), its columns, and the
 * order of their foreign keys. */
static struct copy_plan *
plan_load(struct db *db)
{
	struct copy_plan *p = xcalloc(1, sizeof(*p));
	sqlite3_stmt *st = NULL;
	const size_t **parent = NULL;
	size_t *nparent = NULL, cap = 0, i, j;
	int rc;

	if (sqlite3_prepare_v2(db->h, "SELECT name FROM sqlite_schema WHERE "
	    "type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
	    "ORDER BY name", -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, "tables");
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->n == cap) {
			cap = cap ? 2 * cap : 32;
			p->t = xreallocarray(p->t, cap, sizeof(*p->t));
		}
		memset(&p->t[p->n], 0, sizeof(p->t[p->n]));
		p->t[p->n].name = xstrdup(db_col_text(st, 0));
		p->t[p->n].quoted = pg_quote_ident(p->t[p->n].name);
		for (j = 0; db_copy_skip[j] != NULL; j++)
			if (strcmp(db_copy_skip[j], p->t[p->n].name) == 0)
				p->t[p->n].skip = 1;
		p->n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, "tables");
		goto fail;
	}
	for (i = 0; i < p->n; i++)
		if (plan_columns(db, &p->t[i]) == -1 ||
		    plan_parents(db, p, &p->t[i]) == -1)
			goto fail;
	parent = xcalloc(p->n + 1, sizeof(*parent));
	nparent = xcalloc(p->n + 1, sizeof(*nparent));
	for (i = 0; i < p->n; i++) {
		parent[i] = p->t[i].parent;
		nparent[i] = p->t[i].nparent;
	}
	p->order = xcalloc(p->n + 1, sizeof(*p->order));
	if (db_copy_order(p->n, parent, nparent, p->order) == -1) {
		log_error("migrate: the foreign keys of the schema go round "
		    "in a cycle: no order to copy the tables in");
		goto fail;
	}
	free(parent);
	free(nparent);
	return p;
fail:
	free(parent);
	free(nparent);
	plan_free(p);
	return NULL;
}

/* count(*) of one table of an SQLite store. */
static int
lite_count(struct db *db, const char *quoted, long long *n)
{
	sqlite3_stmt *st = NULL;
	char *sql = xasprintf("SELECT count(*) FROM %s", quoted);
	int rc;

	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return db_fail(db, "count");
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "count");
}

/* The rows the migrations write themselves (report_state's, the link
 * generation's): those of a new database at this schema, made in
 * memory, so the schema says which, not a list here. */
static int
plan_seeds(struct copy_plan *p)
{
	struct db *fresh;
	size_t i;
	int rc = 0;

	if ((fresh = db_open(":memory:", DB_CREATE)) == NULL)
		return -1;
	if (db_migrate(fresh, NULL, NULL) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < p->n; i++)
		rc = lite_count(fresh, p->t[i].quoted, &p->t[i].seed);
	db_close(fresh);
	return rc;
}

char **
db_copy_plan(struct db *src)
{
	struct copy_plan *p;
	char **names;
	size_t i, k = 0;

	if ((p = plan_load(src)) == NULL)
		return NULL;
	names = xcalloc(p->n + 1, sizeof(*names));
	for (i = 0; i < p->n; i++)
		if (!p->t[p->order[i]].skip)
			names[k++] = xstrdup(p->t[p->order[i]].name);
	plan_free(p);
	return names;
}

void
db_copy_plan_free(char **names)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; names[i] != NULL; i++)
		free(names[i]);
	free(names);
}

/* One integer from the target: the first field of the first row. */
static int
pg_int(struct pg *pg, const char *sql, int nparams,
    const char *const *params, long long *v)
{
	struct pg_result *r = NULL;
	const char *s;

	if (pg_exec(pg, sql, nparams, params, &r) != PG_OK)
		return -1;
	s = pg_result_rows(r) > 0 ? pg_result_value(r, 0, 0) : NULL;
	*v = s != NULL ? strtoll(s, NULL, 10) : 0;
	pg_result_free(r);
	return 0;
}

/* Locks every table against writers until the end of the transaction, so
 * what is found empty stays so; readers go on. */
static int
target_lock(struct pg *pg, const struct copy_plan *p)
{
	char *sql, *tmp;
	size_t i;
	int rc;

	sql = xasprintf("SET LOCAL lock_timeout = '%ds'; LOCK TABLE",
	    PG_LOCK_TIMEOUT);
	for (i = 0; i < p->n; i++) {
		tmp = xasprintf("%s%s %s", sql, i > 0 ? "," : "",
		    p->t[i].quoted);
		free(sql);
		sql = tmp;
	}
	tmp = xasprintf("%s IN EXCLUSIVE MODE", sql);
	free(sql);
	rc = pg_exec_script(pg, tmp) == PG_OK ? 0 : pg_fail(pg, "lock");
	free(tmp);
	return rc;
}

/* Tables a redirector writes with no import: its health probe's row and
 * the day's visitor key. A target that a redirector alone has touched
 * still takes the copy: the probe's row gives way to the source's, and
 * the day's key stays (the source's is not copied: db_copy_skip). */
static const char *const runtime_tables[] = {
	"redirector_health", "visitor_keys", NULL
};

static int
runtime_table(const char *name)
{
	size_t i;

	for (i = 0; runtime_tables[i] != NULL; i++)
		if (strcmp(runtime_tables[i], name) == 0)
			return 1;
	return 0;
}

/* DB_COPY_NOT_EMPTY when a table holds more rows than its migrations
 * write, naming the first in the copy's order; a runtime table's rows
 * are cleared or kept instead. */
static enum db_copy_status
target_empty(struct db *dst, struct copy_plan *p)
{
	struct copy_table *t;
	long long n;
	char *sql;
	size_t i;
	int rc;

	for (i = 0; i < p->n; i++) {
		t = &p->t[p->order[i]];
		sql = xasprintf("SELECT count(*) FROM %s", t->quoted);
		rc = pg_int(dst->pg, sql, 0, NULL, &n);
		free(sql);
		if (rc == -1) {
			log_error("migrate: table '%s' of '%s': %s", t->name,
			    dst->path, pg_errmsg(dst->pg));
			return DB_COPY_ERROR;
		}
		if (n > t->seed && runtime_table(t->name)) {
			if (t->skip)
				t->kept = n;
			else
				t->clear = 1;
		} else if (n > t->seed) {
			log_error("migrate: '%s' is not empty: table '%s' "
			    "holds %lld rows; migrate copies into an empty "
			    "database only", dst->path, t->name, n);
			return DB_COPY_NOT_EMPTY;
		}
	}
	return DB_COPY_OK;
}

/* Streams the rows of one table from src into COPY on dst. */
static int
copy_table(struct db *src, struct db *dst, struct copy_table *t,
    long long *copied)
{
	sqlite3_stmt *st = NULL;
	struct pg_field *f = NULL;
	const char **names = NULL;
	char *sql = NULL, *tmp, *q, **fix = NULL;
	long long sent = 0, stored = -1, fixed = 0;
	size_t i, *fixcap = NULL;
	int rc = -1, step;
	const char *why;

	names = xcalloc(t->ncols, sizeof(*names));
	f = xcalloc(t->ncols, sizeof(*f));
	fix = xcalloc(t->ncols, sizeof(*fix));
	fixcap = xcalloc(t->ncols, sizeof(*fixcap));
	sql = xstrdup("SELECT");
	for (i = 0; i < t->ncols; i++) {
		names[i] = t->cols[i].name;
		q = pg_quote_ident(t->cols[i].name);
		tmp = xasprintf("%s%s %s", sql, i > 0 ? "," : "", q);
		free(q);
		free(sql);
		sql = tmp;
	}
	tmp = xasprintf("%s FROM %s", sql, t->quoted);
	free(sql);
	sql = tmp;
	if (sqlite3_prepare_v2(src->h, sql, -1, &st, NULL) != SQLITE_OK) {
		log_error("migrate: table '%s' of '%s': %s", t->name,
		    src->path, db_errmsg(src));
		goto out;
	}
	if (pg_copy_begin(dst->pg, t->name, names, t->ncols) != PG_OK)
		goto pgfail;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < t->ncols; i++) {
			const void *v;

			f[i].bytea = t->cols[i].bytea;
			if (sqlite3_column_type(st, (int)i) == SQLITE_NULL) {
				f[i].data = NULL;
				f[i].len = 0;
				continue;
			}
			/* An empty blob reads as NULL: it is no SQL NULL. */
			v = f[i].bytea ? sqlite3_column_blob(st, (int)i) :
			    (const void *)sqlite3_column_text(st, (int)i);
			f[i].len = (size_t)sqlite3_column_bytes(st, (int)i);
			f[i].data = v != NULL ? v : "";
			/* SQLite keeps any bytes as text; PostgreSQL's text
			 * is UTF-8 only (a reply an older Chorus stored as
			 * the server sent it, in Latin-1). Copied with '?'
			 * for each bad byte, and said, rather than no copy
			 * at all. */
			if (f[i].bytea || validate_utf8(f[i].data, f[i].len,
			    &why) == 0)
				continue;
			if (f[i].len + 1 > fixcap[i]) {
				fixcap[i] = f[i].len + 1;
				fix[i] = xreallocarray(fix[i], 1, fixcap[i]);
			}
			memcpy(fix[i], f[i].data, f[i].len);
			(void)validate_utf8_fix(fix[i], f[i].len);
			f[i].data = fix[i];
			fixed++;
		}
		if (pg_copy_row(dst->pg, f, t->ncols) != PG_OK) {
			pg_copy_abort(dst->pg, "chorus: cannot send");
			goto pgfail;
		}
		sent++;
	}
	if (step != SQLITE_DONE) {
		log_error("migrate: table '%s' of '%s': %s", t->name,
		    src->path, db_errmsg(src));
		pg_copy_abort(dst->pg, "chorus: cannot read the source");
		goto out;
	}
	if (pg_copy_end(dst->pg, &stored) != PG_OK)
		goto pgfail;
	if (sent != t->rows || stored != t->rows) {
		log_error("migrate: table '%s': %lld rows in the source, "
		    "%lld read, %lld stored", t->name, t->rows, sent, stored);
		goto out;
	}
	if (fixed > 0)
		log_warnx("migrate: table '%s': %lld value%s not UTF-8, copied "
		    "with '?' for each byte that was not", t->name, fixed,
		    fixed == 1 ? " was" : "s were");
	*copied = stored;
	rc = 0;
	goto out;
pgfail:
	log_error("migrate: table '%s': %s", t->name, pg_errmsg(dst->pg));
out:
	sqlite3_finalize(st);
	free(sql);
	free(names);
	free(f);
	for (i = 0; i < t->ncols; i++)
		free(fix[i]);
	free(fix);
	free(fixcap);
	return rc;
}

/* Each serial or identity column of t on dst continues past the largest
 * value copied, so the next row inserted without one gets max + 1. */
static int
target_sequences(struct pg *pg, const struct copy_table *t)
{
	struct pg_result *r = NULL;
	const char *params[2];
	const char *col;
	char *sql, *q;
	size_t i;
	int rc = 0;

	params[0] = t->quoted;
	if (pg_exec(pg, "SELECT attname FROM pg_attribute WHERE attrelid = "
	    "$1::text::regclass AND attnum > 0 AND NOT attisdropped AND "
	    "pg_get_serial_sequence($1::text, attname::text) IS NOT NULL "
	    "ORDER BY attnum",
	    1, params, &r) != PG_OK)
		return -1;
	for (i = 0; rc == 0 && i < pg_result_rows(r); i++) {
		if ((col = pg_result_value(r, i, 0)) == NULL)
			continue;
		params[1] = col;
		q = pg_quote_ident(col);
		sql = xasprintf("SELECT setval(pg_get_serial_sequence($1, $2), "
		    "max(%s)) FROM %s HAVING max(%s) IS NOT NULL", q,
		    t->quoted, q);
		free(q);
		if (pg_exec(pg, sql, 2, params, NULL) != PG_OK)
			rc = -1;
		free(sql);
	}
	pg_result_free(r);
	return rc;
}

/* In the target's transaction: the copy, the sequences, the counts. */
static enum db_copy_status
copy_all(struct db *src, struct db *dst, struct copy_plan *p,
    struct db_copy_stats *stats)
{
	struct copy_table *t;
	enum db_copy_status cs;
	long long n;
	char *sql;
	size_t i;

	if (target_lock(dst->pg, p) == -1)
		return DB_COPY_ERROR;
	if ((cs = target_empty(dst, p)) != DB_COPY_OK)
		return cs;
	for (i = 0; i < p->n; i++) {
		t = &p->t[p->order[i]];
		if (t->skip) {
			stats->skipped++;
			continue;
		}
		if (lite_count(src, t->quoted, &t->rows) == -1)
			return DB_COPY_ERROR;
		/* The rows the migrations wrote, and a redirector's, give
		 * way to the source's. */
		if (t->seed > 0 || t->clear) {
			sql = xasprintf("DELETE FROM %s", t->quoted);
			if (pg_exec_script(dst->pg, sql) != PG_OK) {
				free(sql);
				log_error("migrate: table '%s': %s", t->name,
				    pg_errmsg(dst->pg));
				return DB_COPY_ERROR;
			}
			free(sql);
		}
		if (copy_table(src, dst, t, &n) == -1)
			return DB_COPY_ERROR;
		if (target_sequences(dst->pg, t) == -1) {
			log_error("migrate: table '%s': sequences: %s",
			    t->name, pg_errmsg(dst->pg));
			return DB_COPY_ERROR;
		}
		log_debug("migrate: table '%s': %lld rows", t->name, n);
		stats->tables++;
		stats->rows += n;
	}
	/* The counts once more, now every table is written: what COMMIT
	 * makes visible. */
	for (i = 0; i < p->n; i++) {
		t = &p->t[p->order[i]];
		sql = xasprintf("SELECT count(*) FROM %s", t->quoted);
		if (pg_int(dst->pg, sql, 0, NULL, &n) == -1) {
			free(sql);
			log_error("migrate: table '%s': %s", t->name,
			    pg_errmsg(dst->pg));
			return DB_COPY_ERROR;
		}
		free(sql);
		if (n != (t->skip ? t->kept : t->rows)) {
			log_error("migrate: table '%s': %lld rows in the "
			    "source, %lld in '%s'", t->name,
			    t->skip ? t->kept : t->rows, n, dst->path);
			return DB_COPY_ERROR;
		}
	}
	return DB_COPY_OK;
}

enum db_copy_status
db_copy(struct db *src, struct db *dst, struct db_copy_stats *stats)
{
	struct copy_plan *p = NULL;
	enum db_copy_status cs = DB_COPY_ERROR;
	int vs, vd, reading = 0;

	memset(stats, 0, sizeof(*stats));
	if (src->h == NULL || dst->pg == NULL) {
		log_error("migrate: copies an SQLite store into a PostgreSQL "
		    "one");
		return DB_COPY_ERROR;
	}
	if ((vs = db_schema_version(src)) == -1 ||
	    (vd = pg_schema_version(dst->pg)) == -1)
		return DB_COPY_ERROR;
	if (vs != vd) {
		log_error("migrate: '%s' is at schema version %d, '%s' at %d; "
		    "run 'chorus init' on the older", src->path, vs,
		    dst->path, vd);
		return DB_COPY_ERROR;
	}
	/* One read transaction: every table from one snapshot, while the
	 * redirector and the scheduler go on writing. */
	if ((reading = db_read_begin(src)) == -1)
		return DB_COPY_ERROR;
	if ((p = plan_load(src)) == NULL || plan_seeds(p) == -1)
		goto out;
	if (pg_exec_script(dst->pg, "BEGIN") != PG_OK) {
		log_error("migrate: '%s': %s", dst->path, pg_errmsg(dst->pg));
		goto out;
	}
	cs = copy_all(src, dst, p, stats);
	if (cs == DB_COPY_OK && pg_exec_script(dst->pg, "COMMIT") != PG_OK) {
		log_error("migrate: '%s': commit: %s", dst->path,
		    pg_errmsg(dst->pg));
		cs = DB_COPY_ERROR;
	}
	if (cs != DB_COPY_OK) {
		/* The failure is logged; a rollback's own is no news. */
		(void)pg_exec_script(dst->pg, "ROLLBACK");
		memset(stats, 0, sizeof(*stats));
	} else if (pg_exec_script(dst->pg, "ANALYZE") != PG_OK)
		/* The planner's figures of the tables just filled; autovacuum
		 * takes them later if this fails, the copy stands. */
		log_warnx("migrate: '%s': analyze: %s", dst->path,
		    pg_errmsg(dst->pg));
out:
	if (reading == 1)
		db_read_end(src);
	plan_free(p);
	return cs;
}
