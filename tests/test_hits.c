/*
 * Tests of db/hits.c on both stores: ids reserved before the insert and
 * the rows inserted with them, by the caller or reserved inside; a
 * revision and its report_dirty row; the generation and the health row.
 * On PostgreSQL also: two connections reserving at once get ids of their
 * own, and a connection the server ended is told retryable and made
 * again. The PostgreSQL half runs when CHORUS_TEST_PG_URI names a
 * database that `chorus init` made (tests/e2e/pg_units.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/log.h"
#include "db/db.h"
#include "db/hits.h"
#include "db/report.h"
#include "db/stmt.h"

#define LINK	9001

static const char *const setup_sql[] = {
	"DELETE FROM report_dirty WHERE link_id = 9001",
	"DELETE FROM hits WHERE link_id = 9001",
	"DELETE FROM links WHERE id = 9001",
	"DELETE FROM posts WHERE id = 9001",
	"DELETE FROM employees WHERE id = 9001",
	"INSERT INTO employees (id, email, unsub_token, pref_token, "
	"created_at, updated_at) VALUES (9001, 'hits@example.com', "
	"'90019001-1111-4111-8111-111111111111', "
	"'90019001-2222-4222-8222-222222222222', 0, 0)",
	"INSERT INTO posts (id, ext_id, title, url, created_at, updated_at) "
	"VALUES (9001, 'hits-9001', 't', 'https://example.com/', 0, 0)",
	"INSERT INTO links (id, code, employee_id, post_id, network, "
	"created_at) VALUES (9001, 'Hits9001aa', 9001, 9001, 'x', 0)",
};
static const char q_rows[] = "SELECT count(*) FROM hits WHERE link_id = 9001";
static const char q_dirty[] =
    "SELECT count(*) FROM report_dirty WHERE link_id = 9001";
/* Hits of link 9001 the roll-up counts, in any column. */
static const char q_folded[] =
    "SELECT coalesce(sum(shares + previews + clicks + bot_hits), 0) "
    "FROM report_link_day WHERE link_id = 9001";
static const char q_class[] = "SELECT class FROM hits WHERE id = ?1";
static const char q_same[] =
    "SELECT count(*) FROM hits WHERE id = ?1 AND link_id = ?2 AND "
    "ts = ?3 AND class = 'bot' AND repeat = 1 AND visitor = ?4";
static const char q_pid[] = "SELECT pg_backend_pid()";
static const char q_kill[] = "SELECT pg_terminate_backend(?1)";

static int64_t
one(struct db *db, const char *sql)
{
	struct db_q *q;
	int64_t v;

	assert_non_null(q = db_q(db, sql));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	v = db_q_col_int64(q, 0);
	db_q_reset(q);
	return v;
}

static void
sql(struct db *db, const char *text)
{
	struct db_q *q;

	assert_non_null(q = db_q(db, text));
	assert_int_equal(db_q_done(db, q, "test"), 0);
}

static void
plan_mode_is(struct db *db, const char *want)
{
	struct db_q *q;

	assert_non_null(q = db_q(db, "SELECT current_setting("
	    "'plan_cache_mode')"));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	assert_string_equal(db_q_col_text(q, 0), want);
	db_q_reset(q);
}

static void
hit_make(struct hit *h, int64_t ts)
{
	memset(h, 0, sizeof(*h));
	h->link_id = LINK;
	h->ts = ts;
	h->kind = HIT_CLICK;
	h->class = HIT_HUMAN;
	h->has_visitor = 1;
	memset(h->visitor, 0x5a, sizeof(h->visitor));
}

/* The same on either store: a and b are two connections to one. */
static void
hits_on(struct db *a, struct db *b)
{
	struct hit hv[3];
	const struct hit *h[3] = { &hv[0], &hv[1], &hv[2] };
	int64_t ids[3], many[HITS_ID_BLOCK * 2 + 3], last, rows;
	enum hit_class from;
	uint64_t gen;
	struct db_q *q;
	size_t i;

	for (i = 0; i < sizeof(setup_sql) / sizeof(setup_sql[0]); i++) {
		assert_non_null(q = db_q(a, setup_sql[i]));
		assert_int_equal(db_q_done(a, q, "setup"), 0);
	}
	for (i = 0; i < 3; i++)
		hit_make(&hv[i], 86400 * 20000 + (int64_t)i);
	/* Reserved, then inserted with them: increasing, the last one's
	 * id told. */
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_hits_generation(a, &gen), 0);
	assert_true(gen >= 1);
	/* More than two of PostgreSQL's blocks: increasing all the same. */
	assert_int_equal(db_hits_reserve(a, HITS_ID_BLOCK * 2 + 3, many), 0);
	for (i = 1; i < HITS_ID_BLOCK * 2 + 3; i++)
		assert_true(many[i - 1] < many[i]);
	assert_int_equal(db_hits_reserve(a, 3, ids), 0);
	assert_true(ids[0] < ids[1] && ids[1] < ids[2]);
	assert_int_equal(db_hits_insert_many(a, h, ids, 3, &last), 0);
	assert_int_equal(last, ids[2]);
	assert_int_equal(db_hits_touch_health(a, 1234), 0);
	assert_int_equal(db_commit(a), 0);
	assert_int_equal(one(b, q_rows), 3);
	/* Reserved inside: after the ones before. */
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_hits_insert_many(a, h, NULL, 2, &last), 0);
	assert_int_equal(db_commit(a), 0);
	assert_true(last > ids[2]);
	assert_int_equal(one(b, q_rows), 5);
	/* A revision, once; a click's verdict does not outrank a sweep's. */
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_hits_revise(a, ids[1], HIT_SCANNER, &from), 1);
	assert_int_equal(from, HIT_HUMAN);
	assert_int_equal(db_hits_revise(a, ids[1], HIT_SCANNER, &from), 0);
	assert_int_equal(db_hits_revise(a, ids[1], HIT_SELF, &from), 0);
	assert_int_equal(db_hits_revise(a, 1LL << 40, HIT_BOT, &from), 0);
	assert_int_equal(db_commit(a), 0);
	assert_non_null(q = db_q(b, q_class));
	db_q_int64(q, 1, ids[1]);
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	assert_string_equal(db_q_col_text(q, 0), "scanner");
	db_q_reset(q);
	assert_int_equal(one(b, q_dirty), 1);
	rows = one(b, q_rows);
	assert_int_equal(rows, 5);
	/* A batch as the hit writer runs it (one round trip for each half
	 * on PostgreSQL): the ids after the ones before, every column kept,
	 * a health row; without rows, a probe alone. */
	hv[2].class = HIT_BOT;
	hv[2].repeat = 1;
	hv[2].visitor[3] = 0x00;
	hv[2].ts = 5000000000LL;	/* past 32 bits */
	hv[1].has_visitor = 0;
	assert_int_equal(db_hits_batch_open(a, 1, 3, ids, &gen), 0);
	assert_true(gen >= 1 && ids[0] > last);
	assert_true(ids[0] < ids[1] && ids[1] < ids[2]);
	assert_int_equal(db_hits_batch_close(a, 1236, h, ids, 3, &gen), 0);
	assert_int_equal(one(b, q_rows), 8);
	assert_non_null(q = db_q(b, "SELECT count(*) FROM hits WHERE id = ?1 "
	    "AND visitor IS NULL AND kind = 'click' AND class = 'human' AND "
	    "repeat = 0"));
	db_q_int64(q, 1, ids[1]);
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	assert_int_equal(db_q_col_int64(q, 0), 1);
	db_q_reset(q);
	hv[1].has_visitor = 1;
	assert_non_null(q = db_q(b, q_same));
	db_q_int64(q, 1, ids[2]);
	db_q_int64(q, 2, LINK);
	db_q_int64(q, 3, hv[2].ts);
	db_q_blob(q, 4, hv[2].visitor, sizeof(hv[2].visitor));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	assert_int_equal(db_q_col_int64(q, 0), 1);
	db_q_reset(q);
	assert_int_equal(db_hits_batch_open(a, 1, 0, ids, &gen), 0);
	assert_int_equal(db_hits_batch_close(a, 1237, h, ids, 0, &gen), 0);
	assert_int_equal(one(b,
	    "SELECT alive_at FROM redirector_health WHERE id = 1"), 1237);
	/* A row refused (an id already taken: PostgreSQL's primary key,
	 * or on SQLite not the id it makes): -1 before COMMIT, nothing of
	 * the batch kept once rolled back. */
	assert_int_equal(db_hits_batch_open(a, 1, 3, ids, &gen), 0);
	ids[2] = last;
	assert_int_equal(db_hits_batch_close(a, 1238, h, ids, 3, &gen), -1);
	assert_int_equal(db_rollback(a), 0);
	assert_int_equal(one(b, q_rows), 8);
	assert_int_equal(one(b,
	    "SELECT alive_at FROM redirector_health WHERE id = 1"), 1237);

	/* The footer's pages, with a batch's hits and alone (on PostgreSQL
	 * in the close's round trip): stored with them, a hit among them
	 * left out; a batch refused keeps none of its pages. */
	{
		static const char q_pages[] = "SELECT count(*) FROM page_views "
		    "WHERE employee_id = 424242 AND digest_id = 8 AND "
		    "delivered = 1200";
		struct hit pv[2];
		const struct hit *pp[3] = { &pv[0], &hv[0], &pv[1] };

		memset(pv, 0, sizeof(pv));
		pv[0].link_id = -1;
		pv[0].ts = 1240;
		pv[0].employee_id = 424242;
		pv[0].digest_id = 8;
		pv[0].delivered = 1200;
		pv[1] = pv[0];
		pv[1].link_id = -2;
		pv[1].ts = 1241;
		assert_int_equal(db_hits_batch_open(a, 1, 3, ids, &gen), 0);
		assert_int_equal(db_hits_pages(a, pp, 3), 0);
		assert_int_equal(db_hits_batch_close(a, 0, h, ids, 3, &gen),
		    0);
		assert_int_equal(one(b, q_rows), 11);
		assert_int_equal(one(b, q_pages), 2);
		assert_int_equal(one(b, "SELECT sum(page * ts) FROM page_views "
		    "WHERE employee_id = 424242"), 1240 + 2 * 1241);
		assert_int_equal(db_hits_batch_open(a, 1, 0, ids, &gen), 0);
		assert_int_equal(db_hits_pages(a, pp, 1), 0);
		assert_int_equal(db_hits_batch_close(a, 0, h, ids, 0, &gen),
		    0);
		assert_int_equal(one(b, q_pages), 3);
		assert_int_equal(db_hits_batch_open(a, 1, 3, ids, &gen), 0);
		assert_int_equal(db_hits_pages(a, pp, 3), 0);
		ids[2] = last;
		assert_int_equal(db_hits_batch_close(a, 0, h, ids, 3, &gen),
		    -1);
		assert_int_equal(db_rollback(a), 0);
		assert_int_equal(one(b, q_pages), 3);
		assert_int_equal(one(b, q_rows), 11);
	}
}

static void
test_sqlite(void **state)
{
	char path[64], side[80];
	struct db *a, *b;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_hits.%ld.db", (long)getpid());
	unlink(path);
	assert_non_null(a = db_open(path, DB_CREATE));
	assert_int_equal(db_migrate(a, NULL, NULL), 0);
	assert_non_null(b = db_open(path, 0));
	hits_on(a, b);
	assert_int_equal(db_hits_checkpoints(a), 1);
	assert_int_equal(db_hits_reconnect(a), 0);
	db_close(a);
	db_close(b);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void
test_pg(void **state)
{
	const char *uri = getenv("CHORUS_TEST_PG_URI");
	struct hit hv;
	const struct hit *h[1] = { &hv };
	int64_t ia[2], ib[2];
	uint64_t gen;
	struct db *a, *b;
	struct db_q *q;

	(void)state;
	if (uri == NULL || *uri == '\0') {
		fprintf(stderr, "test_hits: CHORUS_TEST_PG_URI not set: "
		    "PostgreSQL skipped\n");
		skip();
	}
	assert_non_null(a = db_open(uri, 0));
	assert_non_null(b = db_open(uri, 0));
	/* The writer's connection plans once, and stays so when made
	 * again (below). */
	assert_int_equal(db_hits_writer_tune(a, 0), 0);
	plan_mode_is(a, "force_generic_plan");
	plan_mode_is(b, "auto");
	hits_on(a, b);
	assert_int_equal(db_hits_checkpoints(a), 0);
	/* A value of the sequence is a block of ids (migration 007). */
	assert_int_equal(one(a, "SELECT increment_by FROM pg_sequences "
	    "WHERE sequencename = 'hits_id_seq'"), HITS_ID_BLOCK);
	/* Two open batches at once: ids of their own, each increasing. */
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_begin(b), 0);
	assert_int_equal(db_hits_reserve(a, 2, ia), 0);
	assert_int_equal(db_hits_reserve(b, 2, ib), 0);
	assert_int_equal(db_hits_reserve(a, 1, ia + 1), 0);
	assert_true(ia[0] < ia[1] && ib[0] < ib[1]);
	assert_true(ia[0] != ib[0] && ia[0] != ib[1] && ia[1] != ib[0] &&
	    ia[1] != ib[1]);
	assert_int_equal(db_commit(b), 0);
	assert_int_equal(db_commit(a), 0);
	/* The server ends a's session: told retryable, made again, and its
	 * statements prepared again. */
	assert_non_null(q = db_q(b, q_kill));
	db_q_int64(q, 1, one(a, q_pid));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	db_q_reset(q);
	assert_int_equal(db_begin(a), -1);
	assert_int_equal(db_hits_may_pass(a), 1);
	(void)db_rollback(a);
	assert_int_equal(db_hits_reconnect(a), 0);
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_hits_reserve(a, 2, ia), 0);
	assert_int_equal(db_commit(a), 0);
	assert_int_equal(one(a, q_rows), 11);
	/* Ended again, then a batch: with ids taken ahead its open sends
	 * nothing, and its close finds the connection gone; made again,
	 * the statements are prepared again inside the pipeline, BEGIN and
	 * the generation sent with the rows. */
	assert_non_null(q = db_q(b, q_kill));
	db_q_int64(q, 1, one(a, q_pid));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	db_q_reset(q);
	hit_make(&hv, 86400 * 20000 + 9);
	gen = 0;
	assert_int_equal(db_hits_batch_open(a, 1, 1, ia, &gen), 0);
	assert_int_equal(db_hits_batch_close(a, 1239, h, ia, 1, &gen), -1);
	assert_int_equal(db_hits_may_pass(a), 1);
	(void)db_rollback(a);
	assert_int_equal(db_hits_reconnect(a), 0);
	plan_mode_is(a, "force_generic_plan");
	assert_int_equal(db_hits_batch_open(a, 1, 1, ia, &gen), 0);
	assert_int_equal(gen, 0);
	assert_int_equal(db_hits_batch_close(a, 1240, h, ia, 1, &gen), 0);
	assert_true(gen >= 1);
	assert_int_equal(one(b, q_rows), 12);
	/* More than the ids taken ahead: the open's own round trip. */
	{
		int64_t big[HITS_ID_BLOCK + 1];
		const struct hit *hh[HITS_ID_BLOCK + 1];
		size_t k;

		for (k = 0; k <= HITS_ID_BLOCK; k++)
			hh[k] = &hv;
		gen = 0;
		assert_int_equal(db_hits_batch_open(a, 1, HITS_ID_BLOCK + 1,
		    big, &gen), 0);
		assert_true(gen >= 1);
		for (k = 1; k <= HITS_ID_BLOCK; k++)
			assert_true(big[k - 1] < big[k]);
		assert_int_equal(db_hits_batch_close(a, 1241, hh, big,
		    HITS_ID_BLOCK + 1, &gen), 0);
		assert_int_equal(one(b, q_rows), 12 + HITS_ID_BLOCK + 1);
		/* Gone again, for the counts below. */
		assert_non_null(q = db_q(b, "DELETE FROM hits WHERE id >= ?1 "
		    "AND id <= ?2"));
		db_q_int64(q, 1, big[0]);
		db_q_int64(q, 2, big[HITS_ID_BLOCK]);
		assert_int_equal(db_q_done(b, q, "delete"), 0);
		assert_int_equal(one(b, q_rows), 12);
	}
	/* A fold between a batch's ids and its INSERT, after larger ids
	 * of another connection committed: the batch's row is under the
	 * fold's mark, and names its day and link for the next fold,
	 * which counts it. */
	assert_int_equal(db_report_refresh(b), 0);
	assert_int_equal(one(b, q_dirty), 0);
	assert_int_equal(db_hits_batch_open(a, 1, 1, ia, &gen), 0);
	assert_int_equal(db_hits_batch_open(b, 1, 1, ib, &gen), 0);
	assert_true(ib[0] > ia[0]);
	assert_int_equal(db_hits_batch_close(b, 0, h, ib, 1, &gen), 0);
	assert_int_equal(db_report_refresh(b), 0);
	assert_int_equal(one(b, q_folded), 13);
	assert_int_equal(db_hits_batch_close(a, 0, h, ia, 1, &gen), 0);
	assert_int_equal(one(b, q_dirty), 1);
	assert_int_equal(db_report_refresh(b), 0);
	assert_int_equal(one(b, q_folded), 14);
	assert_int_equal(one(b, q_dirty), 0);
	/* A batch sent without BEGIN is committed by the pipeline's sync.
	 * Refused there (a deferred trigger): -2, not -1 (the caller must
	 * not try again a batch that may have committed), nothing kept, and
	 * the connection out of pipeline mode and usable. */
	sql(b, "CREATE FUNCTION test_hits_refuse() RETURNS trigger "
	    "LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''refused''; END'");
	sql(b, "CREATE CONSTRAINT TRIGGER test_hits_at_commit AFTER INSERT "
	    "ON hits DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
	    "WHEN (NEW.ts = 4242) EXECUTE FUNCTION test_hits_refuse()");
	hv.ts = 4242;
	assert_int_equal(db_hits_batch_open(a, 1, 1, ia, &gen), 0);
	assert_int_equal(gen, 0);	/* deferred: nothing sent yet */
	assert_int_equal(db_hits_batch_close(a, 0, h, ia, 1, &gen), -2);
	assert_int_equal(db_rollback(a), 0);
	assert_int_equal(one(b, q_rows), 14);
	hit_make(&hv, 86400 * 20000 + 10);
	assert_int_equal(db_hits_batch_open(a, 1, 1, ia, &gen), 0);
	assert_int_equal(db_hits_batch_close(a, 0, h, ia, 1, &gen), 0);
	assert_true(gen >= 1);
	assert_int_equal(one(a, q_rows), 15);
	sql(b, "DROP TRIGGER test_hits_at_commit ON hits");
	sql(b, "DROP FUNCTION test_hits_refuse()");
	/* A conflict that passes if tried again (40001), in a batch whose
	 * open sent BEGIN (a new connection has no ids ahead): still told
	 * retryable after the caller's ROLLBACK, which must not hide why
	 * the batch failed. */
	sql(b, "CREATE FUNCTION test_hits_conflict() RETURNS trigger "
	    "LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''conflict'' "
	    "USING ERRCODE = ''40001''; END'");
	sql(b, "CREATE TRIGGER test_hits_conflict BEFORE INSERT ON hits "
	    "FOR EACH ROW WHEN (NEW.ts = 4343) "
	    "EXECUTE FUNCTION test_hits_conflict()");
	db_close(a);
	assert_non_null(a = db_open(uri, 0));
	hv.ts = 4343;
	gen = 0;
	assert_int_equal(db_hits_batch_open(a, 1, 1, ia, &gen), 0);
	assert_true(gen >= 1);		/* explicit: BEGIN went first */
	assert_int_equal(db_hits_batch_close(a, 0, h, ia, 1, &gen), -1);
	assert_int_equal(db_hits_may_pass(a), 1);
	assert_int_equal(db_rollback(a), 0);
	assert_int_equal(db_hits_may_pass(a), 1);
	assert_non_null(strstr(db_errmsg(a), "conflict"));
	sql(b, "DROP TRIGGER test_hits_conflict ON hits");
	sql(b, "DROP FUNCTION test_hits_conflict()");
	/* Tried again, it commits. */
	assert_int_equal(db_hits_batch_open(a, 1, 1, ia, &gen), 0);
	assert_int_equal(db_hits_batch_close(a, 0, h, ia, 1, &gen), 0);
	assert_int_equal(one(b, q_rows), 16);
	db_close(a);
	db_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlite),
		cmocka_unit_test(test_pg),
	};

	log_init("chorus", LOG_LEVEL_INFO);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
