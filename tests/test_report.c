/*
 * Tests of db/report.c's digest side (one employee's last seven days, the
 * team's weekly highlights), the monthly review and the roll-up, on the
 * known data of tests/data/report/fixture.sql (day A = 2026-11-02, a
 * Monday); and of the HTML report's y axis.
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
#include "db/db_int.h"
#include "db/hits.h"
#include "db/report.h"
#include "report/report.h"

#define DAY_A	((time_t)1793577600)
#define A	20759L		/* DAY_A as a day number */

static char tmpdir[] = "/tmp/chorus-test-report.XXXXXX";
static struct db *db;

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *s;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = calloc(1, (size_t)n + 1);
	if (s != NULL && fread(s, 1, (size_t)n, fp) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(fp);
	return s;
}

static int
setup(void **state)
{
	char path[128], *sql;
	int rc;

	(void)state;
	log_init("chorus", LOG_LEVEL_ERROR);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/r.db", tmpdir);
	if ((db = db_open(path, DB_CREATE)) == NULL ||
	    db_migrate(db, NULL, NULL) == -1)
		return -1;
	if ((sql = slurp("tests/data/report/fixture.sql")) == NULL)
		return -1;
	rc = db_exec(db, sql);
	free(sql);
	return rc == 0 ? db_report_refresh(db) : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_results(void **state)
{
	struct db_results r;

	(void)state;
	/* Ana, days A and B: link 1 3+2 clicks (2+2 people), link 2 1 (1). */
	assert_int_equal(db_report_results(db, 1, A, A + 6, &r), 0);
	assert_int_equal(r.clicks, 6);
	assert_int_equal(r.people, 5);
	assert_true(r.best_post != NULL);
	assert_string_equal(r.best_post, "Launch, \"big\" day");
	db_report_results_release(&r);

	/* The hits of day A+7 fall in the next seven days. */
	assert_int_equal(db_report_results(db, 1, A + 7, A + 13, &r), 0);
	assert_int_equal(r.clicks, 2);
	assert_int_equal(r.people, 2);
	assert_string_equal(r.best_post, "+Growth @ scale");
	db_report_results_release(&r);

	/* Nobody clicked: zeros and no best post. */
	assert_int_equal(db_report_results(db, 4, A, A + 6, &r), 0);
	assert_int_equal(r.clicks, 0);
	assert_int_equal(r.people, 0);
	assert_true(r.best_post == NULL);
	db_report_results_release(&r);
}

static void
test_highlights(void **state)
{
	struct db_highlights h;

	(void)state;
	assert_int_equal(db_report_highlights(db, A, A + 6, &h), 0);
	assert_int_equal(h.team_clicks, 11);
	assert_int_equal(h.nposts, 2);
	assert_string_equal(h.post[0].title, "Launch, \"big\" day");
	assert_int_equal(h.post[0].clicks, 8);
	assert_string_equal(h.post[1].title, "+Growth @ scale");
	assert_int_equal(h.post[1].clicks, 3);
	/* Scores: Ana 5 + 10 + 5 = 20, Li 10 + 2 = 12, Eve 5 + 2 = 7. Only
	 * the first word of the name and the first role. */
	assert_int_equal(h.nadvocates, 3);
	assert_string_equal(h.advocate[0].first_name, "Ana");
	assert_string_equal(h.advocate[0].role, "engineering");
	assert_string_equal(h.advocate[1].first_name, "李小龙");
	assert_string_equal(h.advocate[1].role, "sales");
	assert_string_equal(h.advocate[2].first_name,
	    "=HYPERLINK(\"http://evil.example/\")");
	db_report_highlights_release(&h);

	/* Those who left, unsubscribed or have no name are never named. */
	assert_int_equal(db_exec(db, "UPDATE employees SET active = 0 "
	    "WHERE id = 2; UPDATE employees SET unsubscribed_at = 1 "
	    "WHERE id = 3; UPDATE employees SET name = ' ' WHERE id = 1"), 0);
	assert_int_equal(db_report_highlights(db, A, A + 6, &h), 0);
	assert_int_equal(h.nadvocates, 0);
	assert_int_equal(h.team_clicks, 11);
	db_report_highlights_release(&h);
	assert_int_equal(db_exec(db, "UPDATE employees SET active = 1, "
	    "unsubscribed_at = NULL; UPDATE employees SET name = "
	    "'Ana María López' WHERE id = 1"), 0);

	/* An empty week. */
	assert_int_equal(db_report_highlights(db, A - 7, A - 1, &h), 0);
	assert_int_equal(h.nposts, 0);
	assert_int_equal(h.nadvocates, 0);
	assert_int_equal(h.team_clicks, 0);
	db_report_highlights_release(&h);
}

/* One row of the program report, its columns as the CSV writes them. */
static void
assert_program_row(struct db_report *r, const char *month,
    const long long *v, const char *participation)
{
	int i;

	assert_int_equal(db_report_step(r), 1);
	assert_int_equal(db_report_ncols(r), 12);
	assert_string_equal(db_report_text(r, 0), month);
	assert_string_equal(db_report_text(r, 4), participation);
	for (i = 1; i < 12; i++)
		if (i != 4)
			assert_int_equal(db_report_int(r, i), v[i]);
}

/* The monthly review (README, "The program report"): a row per month,
 * the days outside --from/--to not counted, participation as sharers over
 * the employees sent a digest, empty in a month without digests. */
static void
test_program(void **state)
{
	static const long long oct[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 };
	static const long long nov[] = { 0, 3, 5, 3, 0, 2, 4, 13, 11, 2, 1,
	    1 };
	static const long long dec[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	static const long long b[] = { 0, 2, 2, 1, 0, 1, 0, 6, 5, 0, 0, 0 };
	static const long long z[12] = { 0 };
	struct db_report *r;

	(void)state;
	r = db_report_open(db, DB_REPORT_PROGRAM, REPORT_DAY_MIN,
	    REPORT_DAY_MAX);
	assert_non_null(r);
	assert_program_row(r, "2026-10", oct, "");
	assert_program_row(r, "2026-11", nov, "1.000");
	assert_program_row(r, "2026-12", dec, "");
	assert_int_equal(db_report_step(r), 0);
	db_report_close(r);

	/* Day B alone: Ana and Eve were sent a digest, only Eve shared. */
	r = db_report_open(db, DB_REPORT_PROGRAM, A + 1, A + 1);
	assert_non_null(r);
	assert_program_row(r, "2026-11", b, "0.500");
	assert_int_equal(db_report_step(r), 0);
	db_report_close(r);

	/* Explicit bounds make the calendar: quiet months are rows. The
	 * October decline is at 00:01:40 on the 31st, day A - 2. */
	r = db_report_open(db, DB_REPORT_PROGRAM, A - 40, A - 2);
	assert_non_null(r);
	assert_program_row(r, "2026-09", z, "");
	assert_program_row(r, "2026-10", oct, "");
	assert_int_equal(db_report_step(r), 0);
	db_report_close(r);
	r = db_report_open(db, DB_REPORT_PROGRAM, A - 40, A - 3);
	assert_non_null(r);
	assert_program_row(r, "2026-09", z, "");
	assert_program_row(r, "2026-10", z, "");
	assert_int_equal(db_report_step(r), 0);
	db_report_close(r);
}

/* The HTML report's by-month fatigue and its most declined posts. */
static void
test_fatigue_declined(void **state)
{
	struct db_report *r;

	(void)state;
	r = db_report_open(db, DB_REPORT_FATIGUE, REPORT_DAY_MIN,
	    REPORT_DAY_MAX);
	assert_non_null(r);
	assert_int_equal(db_report_step(r), 1);
	assert_string_equal(db_report_text(r, 0), "2026-10");
	assert_int_equal(db_report_step(r), 1);
	assert_string_equal(db_report_text(r, 0), "2026-11");
	assert_int_equal(db_report_int(r, 1), 3);	/* sent a digest */
	assert_int_equal(db_report_int(r, 2), 3);	/* sharers */
	assert_int_equal(db_report_int(r, 4), 1);	/* unsubscribes */
	assert_int_equal(db_report_int(r, 5), 1);	/* pauses */
	assert_int_equal(db_report_int(r, 6), 1);	/* to weekly */
	assert_int_equal(db_report_int(r, 7), 2);	/* declines */
	assert_int_equal(db_report_step(r), 1);
	assert_string_equal(db_report_text(r, 0), "2026-12");
	assert_int_equal(db_report_int(r, 6), 0);	/* 'daily' is not */
	assert_int_equal(db_report_step(r), 0);
	db_report_close(r);

	/* In November: P1 (suggested twice) and P2 (not suggested then). */
	r = db_report_open(db, DB_REPORT_DECLINED, A, A + 27);
	assert_non_null(r);
	assert_int_equal(db_report_step(r), 1);
	assert_string_equal(db_report_text(r, 0), "Launch, \"big\" day");
	assert_int_equal(db_report_int(r, 1), 1);
	assert_int_equal(db_report_int(r, 2), 2);
	assert_int_equal(db_report_step(r), 1);
	assert_string_equal(db_report_text(r, 0), "+Growth @ scale");
	assert_int_equal(db_report_int(r, 2), 2);
	assert_int_equal(db_report_step(r), 0);
	db_report_close(r);
}

/* Four equal steps of a whole, round size: every tick label is exact
 * (a maximum of 10 once gave ticks of 2.5 printed as 2). */
static void
test_axis(void **state)
{
	static const struct {
		long long v, max;
	} cases[] = {
		{ 0, 4 }, { 1, 4 }, { 4, 4 }, { 5, 8 }, { 8, 8 }, { 9, 20 },
		{ 10, 20 }, { 20, 20 }, { 21, 40 }, { 40, 40 }, { 41, 80 },
		{ 81, 100 }, { 100, 100 }, { 101, 200 }, { 201, 400 },
		{ 999, 1000 }, { 1001, 2000 }, { 123456, 200000 },
	};
	long long max, v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		max = report_html_axis_max(cases[i].v);
		if (max != cases[i].max)
			fail_msg("axis for %lld: %lld, want %lld", cases[i].v,
			    max, cases[i].max);
	}
	/* Any value: a whole step, a round one, and no more than 2.5 times
	 * the value (beyond the smallest axis). */
	for (v = 0; v < 100000; v += v / 10 + 1) {
		long long step, m;

		max = report_html_axis_max(v);
		assert_true(max >= v && max % 4 == 0);
		step = max / 4;
		for (m = step; m % 10 == 0; m /= 10)
			;
		assert_true(m == 1 || m == 2 || m == 5 || (m == 25 &&
		    step >= 10));
		assert_true(v <= 4 || max * 2 <= v * 5);
	}
}

/* The roll-up must equal a GROUP BY over all the hits, however the hits
 * were cut into chunks and whenever the folds ran. */
static void
assert_rollup_exact(void)
{
	static const char sql[] =
	    "WITH a AS (SELECT h.day AS day, l.employee_id AS e, "
	    "l.post_id AS p, l.network AS n, l.id AS link, sum(h.share), "
	    "sum(h.preview), sum(h.click), count(DISTINCT h.human_visitor), "
	    "sum(h.bot) FROM report_hit h JOIN links l ON l.id = h.link_id "
	    "GROUP BY h.day, h.link_id), "
	    "r AS (SELECT * FROM report_link_day) "
	    "SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM r), "
	    "(SELECT count(*) FROM (SELECT * FROM a EXCEPT SELECT * FROM r))";
	sqlite3_stmt *st;

	assert_true((st = db_stmt(db, sql)) != NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int64(st, 0) > 0);
	assert_int_equal(sqlite3_column_int64(st, 0),
	    sqlite3_column_int64(st, 1));
	assert_int_equal(sqlite3_column_int64(st, 2), 0);
	sqlite3_reset(st);
}

/* Adds n hits from ts on, a few seconds apart, on links 1..5. */
static void
add_hits(int n, long long ts, unsigned seed)
{
	static const char *const kinds[] = { "click", "share" };
	static const char *const classes[] = { "human", "human", "human",
	    "bot", "preview", "head", "scanner", "self" };
	char sql[256];
	int i;

	assert_int_equal(db_begin(db), 0);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		ts += (seed >> 16) % 600;
		snprintf(sql, sizeof(sql), "INSERT INTO hits (link_id, ts, kind, "
		    "class, repeat, visitor) VALUES (%u, %lld, '%s', '%s', %u, "
		    "x'%04x')", (seed >> 8) % 5 + 1, ts,
		    kinds[(seed >> 4) % 7 == 0], classes[(seed >> 12) % 8],
		    (seed >> 20) % 5 == 0, (seed >> 3) % 40);
		assert_int_equal(db_exec(db, sql), 0);
	}
	assert_int_equal(db_commit(db), 0);
}

static void
test_refresh_chunks(void **state)
{
	(void)state;
	assert_int_equal(db_report_refresh_chunked(db, 7), 0);
	assert_rollup_exact();
	/* Hits keep coming, days get split between folds and chunks. */
	add_hits(1500, DAY_A + 20 * 86400, 1);
	assert_int_equal(db_report_refresh_chunked(db, 97), 0);
	assert_rollup_exact();
	add_hits(700, DAY_A + 25 * 86400, 2);
	assert_int_equal(db_report_refresh_chunked(db, 1), 0);
	assert_rollup_exact();
	add_hits(900, DAY_A + 26 * 86400, 3);
	assert_int_equal(db_report_refresh(db), 0);
	assert_rollup_exact();
	/* A rebuild from nothing in tiny chunks gives the same. */
	assert_int_equal(db_exec(db, "DELETE FROM report_link_day; "
	    "UPDATE report_state SET last_hit = 0"), 0);
	assert_int_equal(db_report_refresh_chunked(db, 13), 0);
	assert_rollup_exact();
	/* Ids 256 apart (PostgreSQL's blocks, each hit taking one): chunks
	 * of hits, not of ids, and the same roll-up. */
	assert_int_equal(db_exec(db, "INSERT INTO hits (id, link_id, ts, "
	    "kind, class, repeat, visitor) SELECT (SELECT max(id) FROM hits) "
	    "+ 256 * n, n % 5 + 1, 1700000000 + 30 * 86400 + 97 * n, "
	    "'click', 'human', 0, x'0001' FROM (WITH RECURSIVE c(n) AS "
	    "(SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000) "
	    "SELECT n FROM c)"), 0);
	assert_int_equal(db_report_refresh_chunked(db, 200), 0);
	assert_rollup_exact();
}

static long long
scalar(const char *sql)
{
	sqlite3_stmt *st;
	long long v;

	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Revisions of hits already folded (redirector/judge.c): the next fold
 * recomputes the days and links they name, so the roll-up stays exact. */
static void
test_refresh_revisions(void **state)
{
	enum hit_class from;
	long long id, max;
	unsigned seed = 7;
	int i, changed = 0, rc;

	(void)state;
	add_hits(800, DAY_A + 30 * 86400, 4);
	assert_int_equal(db_report_refresh(db), 0);
	assert_rollup_exact();
	max = scalar(("SELECT max(id) FROM hits"));
	assert_int_equal(db_begin(db), 0);
	for (i = 0; i < 200; i++) {
		seed = seed * 1103515245u + 12345u;
		id = max - (long long)((seed >> 8) % 800);
		rc = db_hits_revise(db, id, (seed >> 4) % 2 ? HIT_SCANNER :
		    HIT_SELF, &from);
		assert_true(rc == 0 || rc == 1);
		changed += rc;
	}
	assert_int_equal(db_commit(db), 0);
	assert_true(changed > 50);
	/* Nothing new to fold but the revisions. */
	assert_int_equal(db_report_refresh(db), 0);
	assert_rollup_exact();
	assert_int_equal(scalar("SELECT count(*) FROM report_dirty"), 0);
	/* self only from human; the same class is no change. */
	assert_int_equal(db_begin(db), 0);
	id = scalar(("SELECT id FROM hits WHERE class = 'bot' LIMIT 1"));
	assert_int_equal(db_hits_revise(db, id, HIT_SELF, &from), 0);
	assert_int_equal(from, HIT_BOT);
	assert_int_equal(db_hits_revise(db, id, HIT_SCANNER, &from), 1);
	assert_int_equal(db_hits_revise(db, id, HIT_SCANNER, &from), 0);
	assert_int_equal(db_hits_revise(db, 1LL << 40, HIT_SCANNER, &from), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_report_refresh(db), 0);
	assert_rollup_exact();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_highlights),
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_fatigue_declined),
		cmocka_unit_test(test_axis),
		cmocka_unit_test(test_refresh_chunks),
		cmocka_unit_test(test_refresh_revisions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
