/*
 * Tests of the store-wide judge (redirector/rejudge.c) on both stores: the
 * stored hits of every redirector are judged again in the order of their
 * seconds, so a gateway's sweep that a load balancer spread over two
 * redirectors, each seeing too few links to tell, becomes `scanner`
 * before the reports fold it, and the days an earlier fold counted are
 * counted again. People stay people: links too far apart, too few of
 * them, or a link many fetched. A second is judged once REJUDGE_SETTLE
 * old, once: a sweep across two passes is seen whole, and a second pass
 * over the same seconds changes nothing. The PostgreSQL half runs when
 * CHORUS_TEST_PG_URI names an empty database that `chorus init` made
 * (tests/e2e/pg_units.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/log.h"
#include "db/db.h"
#include "db/hits.h"
#include "db/report.h"
#include "db/stmt.h"
#include "redirector/rejudge.h"

#define T0	1800000000	/* the hits' first second */
#define OLD	(T0 - 100000)	/* digest 1's delivery: long before */
#define FRESH	(T0 + 1000)	/* digest 2's delivery */

/*
 * Employee 1; posts 1..9. Digest 1 (ledger 1, sent long before the hits)
 * suggested posts 1..5, digest 2 (ledger 2, sent at FRESH) posts 6..8.
 * Link n is post n on X; link 10 is post 5 on LinkedIn (digest 1); link
 * 9's post no digest names (judged under the employee's key).
 */
static const char *const setup_sql[] = {
	"INSERT INTO employees (id, email, unsub_token, pref_token, "
	"created_at, updated_at) VALUES (1, 'sweep@example.com', "
	"'91019101-1111-4111-8111-111111111111', "
	"'91019101-2222-4222-8222-222222222222', 0, 0)",
	"INSERT INTO posts (id, ext_id, title, url, created_at, updated_at) "
	"SELECT n, 'p' || n, 't', 'https://example.com/', 0, 0 FROM "
	"(SELECT 1 AS n UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 "
	"UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 "
	"UNION SELECT 9) p",
	"INSERT INTO ledger (id, employee_id, local_date, state, created_at, "
	"updated_at) VALUES (1, 1, '2027-01-14', 'sent', 0, "
	"1799900000)",
	"INSERT INTO ledger (id, employee_id, local_date, state, created_at, "
	"updated_at) VALUES (2, 1, '2027-01-15', 'sent', 0, 1800001000)",
	"INSERT INTO suggestions (employee_id, post_id, ledger_id, "
	"local_date) SELECT 1, id, CASE WHEN id <= 5 THEN 1 ELSE 2 END, "
	"'x' FROM posts WHERE id <= 8",
	"INSERT INTO links (id, code, employee_id, post_id, network, "
	"created_at) SELECT id, 'Sweep' || id || 'aaa', 1, id, 'x', 0 "
	"FROM posts",
	"INSERT INTO links (id, code, employee_id, post_id, network, "
	"created_at) VALUES (10, 'Sweep10bbb', 1, 5, 'linkedin', 0)",
};

static const char q_insert[] =
    "INSERT INTO hits (id, link_id, ts, kind, class, repeat, visitor) "
    "VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL)";
static const char q_class[] = "SELECT class FROM hits WHERE id = ?1";
/* The human clicks the roll-up counts on ts's day. */
static const char q_clicks[] =
    "SELECT coalesce(sum(clicks), 0) FROM report_link_day WHERE day = ?1";

static int64_t next_id = 1000;

static const struct judge_conf dflt = { 5, 4, 3, 600 };

/* A pass as of now, then the fold. */
static void
judge_at(struct db *db, int64_t now, const struct judge_conf *conf)
{
	assert_true(rejudge_run(db, conf, (time_t)now) >= 0);
	assert_int_equal(db_report_refresh(db), 0);
}

static int64_t
judged_to(struct db *db)
{
	int64_t t;

	assert_int_equal(db_hits_judged_to(db, &t), 0);
	return t;
}

static void
sql(struct db *db, const char *s)
{
	struct db_q *q;

	assert_non_null(q = db_q(db, s));
	assert_int_equal(db_q_done(db, q, s), 0);
}

static int64_t
hit(struct db *db, int64_t link, int64_t ts, const char *kind,
    const char *class)
{
	struct db_q *q;

	assert_non_null(q = db_q(db, q_insert));
	db_q_int64(q, 1, ++next_id);
	db_q_int64(q, 2, link);
	db_q_int64(q, 3, ts);
	db_q_text(q, 4, kind);
	db_q_text(q, 5, class);
	assert_int_equal(db_q_done(db, q, "hit"), 0);
	return next_id;
}

/* A page of digest 1's footer (1: unsubscribe, 2: preferences) that a
 * redirector served at ts, as it stores one. */
static void
page_view(struct db *db, int64_t ts, int page)
{
	static const char q_page[] =
	    "INSERT INTO page_views (ts, employee_id, digest_id, delivered, "
	    "page) VALUES (?1, 1, 1, 1799900000, ?2)";
	struct db_q *q;

	assert_non_null(q = db_q(db, q_page));
	db_q_int64(q, 1, ts);
	db_q_int64(q, 2, page);
	assert_int_equal(db_q_done(db, q, "page view"), 0);
}

static void
class_is(struct db *db, int64_t id, const char *want)
{
	struct db_q *q;

	assert_non_null(q = db_q(db, q_class));
	db_q_int64(q, 1, id);
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	if (strcmp(db_q_col_text(q, 0), want) != 0) {
		fprintf(stderr, "hit %lld: class %s, want %s\n", (long long)id,
		    db_q_col_text(q, 0), want);
		fail();
	}
	db_q_reset(q);
}

static int64_t
clicks_on(struct db *db, int64_t ts)
{
	struct db_q *q;
	int64_t v;

	assert_non_null(q = db_q(db, q_clicks));
	db_q_int64(q, 1, ts / 86400);
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	v = db_q_col_int64(q, 0);
	db_q_reset(q);
	return v;
}

static void
sweeps_on(struct db *db)
{
	int64_t s[8], p[16], f[4], k[4], v[4], e[8];
	size_t i;

	for (i = 0; i < sizeof(setup_sql) / sizeof(setup_sql[0]); i++)
		sql(db, setup_sql[i]);

	/* A sweep of digest 1 split over two redirectors: each saw two
	 * links (below its threshold of four); together, four links in
	 * four seconds. A share route and a bot among them: scanner too. */
	s[0] = hit(db, 1, T0, "click", "human");
	s[1] = hit(db, 2, T0 + 1, "click", "human");
	s[2] = hit(db, 3, T0 + 2, "share", "human");
	s[3] = hit(db, 4, T0 + 3, "click", "bot");
	s[4] = hit(db, 1, T0 + 3, "share", "human");
	/* People: four links of digest 1 over a minute, a few seconds
	 * apart (at most three in any five seconds). */
	p[0] = hit(db, 1, T0 + 100, "click", "human");
	p[1] = hit(db, 2, T0 + 102, "click", "human");
	p[2] = hit(db, 3, T0 + 104, "click", "human");
	p[3] = hit(db, 4, T0 + 110, "click", "human");
	p[4] = hit(db, 5, T0 + 112, "click", "human");
	/* A post going round: link 1 fetched four times in the window, so
	 * it is not a gateway's; three other links are too few. */
	p[5] = hit(db, 1, T0 + 200, "click", "human");
	p[6] = hit(db, 1, T0 + 200, "click", "human");
	p[7] = hit(db, 1, T0 + 201, "click", "human");
	p[8] = hit(db, 2, T0 + 201, "click", "human");
	p[9] = hit(db, 3, T0 + 202, "click", "human");
	p[10] = hit(db, 1, T0 + 202, "click", "human");
	p[11] = hit(db, 4, T0 + 203, "click", "human");
	/* Digest 2, delivered at FRESH: three links in two seconds
	 * within sweep_fresh of delivery are enough... */
	f[0] = hit(db, 6, FRESH + 5, "click", "human");
	f[1] = hit(db, 7, FRESH + 6, "click", "human");
	f[2] = hit(db, 8, FRESH + 6, "share", "human");
	/* ...but not for digest 1, delivered long before, nor for links of
	 * two digests (each counted on its own). */
	p[12] = hit(db, 2, FRESH + 5, "click", "human");
	p[13] = hit(db, 3, FRESH + 6, "click", "human");
	p[14] = hit(db, 10, FRESH + 6, "click", "human");
	/* Not five minutes old yet: left to a later pass. */
	judge_at(db, FRESH + 6 + REJUDGE_SETTLE, &dflt);
	class_is(db, f[0], "human");
	class_is(db, s[0], "scanner");
	assert_int_equal(judged_to(db), FRESH + 6);
	judge_at(db, FRESH + 7 + REJUDGE_SETTLE, &dflt);
	assert_int_equal(judged_to(db), FRESH + 7);
	for (i = 0; i < 5; i++)
		class_is(db, s[i], "scanner");
	for (i = 0; i < 3; i++)
		class_is(db, f[i], "scanner");
	for (i = 0; i < 15; i++)
		class_is(db, p[i], "human");
	/* The roll-up counts the final classes: the people's clicks. */
	assert_int_equal(clicks_on(db, T0), 15);

	/* A sweep folded in two: its first two links counted as clicks by
	 * one fold, its last two arriving after. The next fold revises the
	 * first ones and counts their day again. */
	/* judged_to is past these seconds: set it back to before them
	 * (a store where no pass has run since T0 + 300). */
	sql(db, "UPDATE report_state SET judged_to = 1800000300");
	k[0] = hit(db, 1, T0 + 300, "click", "human");
	k[1] = hit(db, 10, T0 + 301, "click", "human");
	judge_at(db, T0 + 302 + REJUDGE_SETTLE, &dflt);
	class_is(db, k[0], "human");
	assert_int_equal(clicks_on(db, T0), 17);
	k[2] = hit(db, 3, T0 + 302, "click", "human");
	k[3] = hit(db, 4, T0 + 304, "click", "human");
	judge_at(db, T0 + 305 + REJUDGE_SETTLE, &dflt);
	for (i = 0; i < 4; i++)
		class_is(db, k[i], "scanner");
	assert_int_equal(clicks_on(db, T0), 15);
	/* The same seconds again: judged_to says they are done. */
	assert_int_equal(rejudge_run(db, &dflt, T0 + 305 + REJUDGE_SETTLE),
	    0);

	/* Post 9's link, which no digest names, is judged with the
	 * employee's other such links only (none): three more links of
	 * digest 1 beside it make three, not four. */
	sql(db, "UPDATE report_state SET judged_to = 1800000400");
	v[0] = hit(db, 9, T0 + 400, "click", "human");
	v[1] = hit(db, 1, T0 + 400, "click", "human");
	v[2] = hit(db, 2, T0 + 401, "click", "human");
	v[3] = hit(db, 3, T0 + 401, "click", "human");
	judge_at(db, T0 + 402 + REJUDGE_SETTLE, &dflt);
	for (i = 0; i < 4; i++)
		class_is(db, v[i], "human");

	/* With the sweep settings of a stricter house (five links), the
	 * same four-link burst is people's. */
	{
		struct judge_conf strict = { 5, 5, 5, 600 };

		sql(db, "UPDATE report_state SET judged_to = 1800000500");
		e[0] = hit(db, 1, T0 + 500, "click", "human");
		e[1] = hit(db, 2, T0 + 501, "click", "human");
		e[2] = hit(db, 3, T0 + 502, "click", "human");
		e[3] = hit(db, 4, T0 + 503, "click", "human");
		judge_at(db, T0 + 504 + REJUDGE_SETTLE, &strict);
		for (i = 0; i < 4; i++)
			class_is(db, e[i], "human");
	}

	/* Two passes at once: the one that moves judged_to first wins,
	 * the other's chunk is dropped. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_hits_judged_set(db, T0, T0 + 600), 0);
	assert_int_equal(db_hits_judged_set(db, T0 + 504, T0 + 600), 1);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(judged_to(db), T0 + 600);

	/* A link many fetched just before judged_to, and three others:
	 * people (link 1 four times in the window). A later pass sees the
	 * seconds before judged_to again, but as they were judged, not
	 * judged anew with fewer hits before them than they had. */
	{
		int64_t r[7], j = T0 + 706, x;

		sql(db, "UPDATE report_state SET judged_to = 1800000700");
		r[0] = hit(db, 1, j - 6, "click", "human");
		r[1] = hit(db, 1, j - 5, "click", "human");
		r[2] = hit(db, 1, j - 4, "click", "human");
		r[3] = hit(db, 2, j - 4, "click", "human");
		r[4] = hit(db, 1, j - 3, "click", "human");
		r[5] = hit(db, 3, j - 3, "click", "human");
		r[6] = hit(db, 4, j - 2, "click", "human");
		judge_at(db, j + REJUDGE_SETTLE, &dflt);
		for (i = 0; i < 7; i++)
			class_is(db, r[i], "human");
		x = hit(db, 9, j, "click", "human");
		judge_at(db, j + 1 + REJUDGE_SETTLE, &dflt);
		for (i = 0; i < 7; i++)
			class_is(db, r[i], "human");
		class_is(db, x, "human");
	}

	/* A sweep across two scans of one pass (a day each, at most):
	 * seen whole. */
	{
		int64_t w[5], d = T0 + 900 + 86400;

		sql(db, "UPDATE report_state SET judged_to = 1800000900");
		w[0] = hit(db, 9, T0 + 900, "click", "human");
		w[1] = hit(db, 1, d - 2, "click", "human");
		w[2] = hit(db, 2, d - 1, "click", "human");
		w[3] = hit(db, 3, d, "click", "human");
		w[4] = hit(db, 4, d + 1, "click", "human");
		judge_at(db, d + 2 + REJUDGE_SETTLE, &dflt);
		class_is(db, w[0], "human");
		for (i = 1; i < 5; i++)
			class_is(db, w[i], "scanner");
	}

	/* A late sweep of digest 1 that other redirectors served part of:
	 * three links in two seconds, long after delivery (three is below
	 * four), and the footer's two pages, each one link more: five, a
	 * sweep. The same three links a minute later, without the pages,
	 * are people's. Two days after the judge passed them, the pages
	 * are forgotten. */
	{
		static const char q_pages[] =
		    "SELECT count(*) FROM page_views";
		int64_t g[3], o[3], t = T0 + 1048000;	/* a day of its own */
		struct db_q *c;

		assert_non_null(c = db_q(db, "UPDATE report_state SET "
		    "judged_to = 1801048000"));
		assert_int_equal(db_q_done(db, c, "judged_to"), 0);
		page_view(db, t, 1);
		g[0] = hit(db, 1, t, "click", "human");
		g[1] = hit(db, 2, t + 1, "click", "human");
		g[2] = hit(db, 3, t + 1, "share", "human");
		page_view(db, t + 2, 2);
		o[0] = hit(db, 1, t + 60, "click", "human");
		o[1] = hit(db, 2, t + 61, "click", "human");
		o[2] = hit(db, 3, t + 61, "share", "human");
		judge_at(db, t + 62 + REJUDGE_SETTLE, &dflt);
		for (i = 0; i < 3; i++) {
			class_is(db, g[i], "scanner");
			class_is(db, o[i], "human");
		}
		assert_non_null(c = db_q(db, q_pages));
		assert_int_equal(db_q_step(c), DB_Q_ROW);
		assert_int_equal(db_q_col_int64(c, 0), 2);
		db_q_reset(c);
		assert_int_equal(db_begin(db), 0);
		assert_int_equal(db_hits_judged_set(db, t + 62,
		    t + 2 * 86400 + 3), 1);
		assert_int_equal(db_commit(db), 0);
		assert_non_null(c = db_q(db, q_pages));
		assert_int_equal(db_q_step(c), DB_Q_ROW);
		assert_int_equal(db_q_col_int64(c, 0), 0);
		db_q_reset(c);
	}

	/* 1,300 sweeps, ten seconds apart: more revisions than one
	 * transaction takes, so the scan stops at a second's start and
	 * goes on from there; every one of their 5,200 hits judged. */
	{
		static const char q_many[] =
		    "INSERT INTO hits (id, link_id, ts, kind, class, repeat) "
		    "WITH RECURSIVE c(k) AS (SELECT 0 UNION ALL SELECT k + 1 "
		    "FROM c WHERE k < 5199) SELECT ?1 + k, k % 4 + 1, "
		    "?2 + (k / 4) * 10 + k % 4, 'click', 'human', 0 FROM c";
		static const char q_swept[] =
		    "SELECT count(*) FROM hits WHERE ts >= ?1 "
		    "AND ts < ?1 + 13000 AND class = 'scanner'";
		static const char q_from[] =
		    "UPDATE report_state SET judged_to = ?1";
		int64_t base = T0 + 200000, n;
		struct db_q *c;

		assert_non_null(c = db_q(db, q_from));
		db_q_int64(c, 1, base);
		assert_int_equal(db_q_done(db, c, "judged_to"), 0);
		assert_non_null(c = db_q(db, q_many));
		db_q_int64(c, 1, next_id + 1);
		db_q_int64(c, 2, base);
		assert_int_equal(db_q_done(db, c, "hits"), 0);
		next_id += 5200;
		judge_at(db, base + 13000 + REJUDGE_SETTLE, &dflt);
		assert_non_null(c = db_q(db, q_swept));
		db_q_int64(c, 1, base);
		assert_int_equal(db_q_step(c), DB_Q_ROW);
		n = db_q_col_int64(c, 0);
		db_q_reset(c);
		assert_int_equal(n, 5200);
		assert_int_equal(judged_to(db), base + 13000);
	}
}

static const char q_insert_c[] =
    "INSERT INTO hits (id, link_id, ts, kind, class, repeat, visitor) "
    "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)";
static const char q_repeat[] = "SELECT repeat FROM hits WHERE id = ?1";
static const char q_day[] =
    "SELECT coalesce(sum(shares), 0), coalesce(sum(clicks), 0) "
    "FROM report_link_day WHERE day = ?1";

/* A hit of one visitor and class, as a redirector stored it. */
static int64_t
visit(struct db *db, int64_t link, int64_t ts, const char *kind,
    const char *class, unsigned char who)
{
	unsigned char v[HIT_VISITOR_LEN];
	struct db_q *q;

	memset(v, who, sizeof(v));
	assert_non_null(q = db_q(db, q_insert_c));
	db_q_int64(q, 1, ++next_id);
	db_q_int64(q, 2, link);
	db_q_int64(q, 3, ts);
	db_q_text(q, 4, kind);
	db_q_text(q, 5, class);
	db_q_blob(q, 6, v, HIT_VISITOR_LEN);
	assert_int_equal(db_q_done(db, q, "hit"), 0);
	return next_id;
}

static void
repeat_is(struct db *db, int64_t id, int64_t want)
{
	struct db_q *q;

	assert_non_null(q = db_q(db, q_repeat));
	db_q_int64(q, 1, id);
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	if (db_q_col_int64(q, 0) != want) {
		fprintf(stderr, "hit %lld: repeat %lld, want %lld\n",
		    (long long)id, (long long)db_q_col_int64(q, 0),
		    (long long)want);
		fail();
	}
	db_q_reset(q);
}

/* The shares and human clicks the roll-up counts on day. */
static void
day_is(struct db *db, int64_t day, int64_t shares, int64_t clicks)
{
	struct db_q *q;

	assert_non_null(q = db_q(db, q_day));
	db_q_int64(q, 1, day);
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	if (db_q_col_int64(q, 0) != shares || db_q_col_int64(q, 1) !=
	    clicks) {
		fprintf(stderr, "day %lld: %lld shares, %lld clicks; want "
		    "%lld, %lld\n", (long long)day,
		    (long long)db_q_col_int64(q, 0),
		    (long long)db_q_col_int64(q, 1), (long long)shares,
		    (long long)clicks);
		fail();
	}
	db_q_reset(q);
}

/*
 * The self rule and repeats over every node's hits: a visitor's share on
 * one redirector and their clicks on another, stored as each node judged
 * them alone (human, no repeat), on a day of their own. Visitor 'A' on
 * link 9 clicks five times, shares at S, clicks after, shares again ten
 * minutes later (a repeat) and thirty minutes after that (not one: the
 * window is less than 30 minutes); 'B' clicks on link 10 just outside
 * and just inside half an hour before sharing it; 'C''s share, which a
 * sweep made scanner after its node took it (and the clicks after it)
 * as a person's, still makes C's click self, as in a pass that judged the
 * sweep itself; 'H' clicked six times before sharing, on the node that
 * made the last four self: the first two stay people; 'A' on another
 * link, and 'E' who never shared, stay people; 'G' clicks in one pass
 * and shares in the next.
 */
static void
visitors_on(struct db *db)
{
	const int64_t day = 1800057600 / 86400, S = 1800057600 + 40000;
	int64_t a[5], a_after, a_late, a_sh[3], b_far, b_near, c_ck, x_ck;
	int64_t e_ck, g_ck[2], g_sh, h[6];
	unsigned i;

	sql(db, "UPDATE report_state SET judged_to = 1800090000");
	for (i = 0; i < 5; i++)
		a[i] = visit(db, 9, S - 1000 + 100 * i, "click", "human", 'A');
	a_sh[0] = visit(db, 9, S, "share", "human", 'A');
	a_after = visit(db, 9, S + 10, "click", "human", 'A');
	b_far = visit(db, 10, S - 1801, "click", "human", 'B');
	b_near = visit(db, 10, S - 1799, "click", "human", 'B');
	(void)visit(db, 10, S, "share", "human", 'B');
	(void)visit(db, 9, S, "share", "scanner", 'C');
	c_ck = visit(db, 9, S + 12, "click", "human", 'C');
	for (i = 0; i < 6; i++)
		h[i] = visit(db, 9, S - 600 + 100 * i, "click",
		    i < 2 ? "human" : "self", 'H');
	(void)visit(db, 9, S - 50, "share", "human", 'H');
	x_ck = visit(db, 10, S + 20, "click", "human", 'A');
	g_ck[0] = visit(db, 9, S + 20, "click", "human", 'G');
	g_ck[1] = visit(db, 9, S + 30, "click", "human", 'G');
	e_ck = visit(db, 9, S + 40, "click", "human", 'E');
	judge_at(db, S + 50 + REJUDGE_SETTLE, &dflt);
	class_is(db, a[0], "human");
	for (i = 1; i < 5; i++)
		class_is(db, a[i], "self");
	class_is(db, a_after, "self");
	class_is(db, b_far, "human");
	class_is(db, b_near, "self");
	class_is(db, c_ck, "self");
	class_is(db, h[0], "human");
	class_is(db, h[1], "human");
	class_is(db, x_ck, "human");
	class_is(db, g_ck[0], "human");
	class_is(db, e_ck, "human");
	/* A: 1 share; B: 1; H: 1; clicks left: a[0], b_far, h[0], h[1],
	 * A's on link 10, G's two, E's. */
	day_is(db, day, 3, 8);

	/* The next pass: A's click long after the share, A's shares again
	 * (the second within 30 minutes of the first, the third 30 minutes
	 * after the second), G's share after G's clicks of the last pass. */
	g_sh = visit(db, 9, S + 100, "share", "human", 'G');
	a_sh[1] = visit(db, 9, S + 600, "share", "human", 'A');
	a_sh[2] = visit(db, 9, S + 600 + 1800, "share", "human", 'A');
	a_late = visit(db, 9, S + 5000, "click", "human", 'A');
	judge_at(db, S + 5001 + REJUDGE_SETTLE, &dflt);
	class_is(db, a_late, "self");
	class_is(db, g_ck[0], "self");
	class_is(db, g_ck[1], "self");
	class_is(db, g_sh, "human");
	repeat_is(db, a_sh[0], 0);
	repeat_is(db, a_sh[1], 1);
	repeat_is(db, a_sh[2], 0);
	class_is(db, e_ck, "human");
	/* Shares: A twice, B, G, H; clicks: a[0], b_far, h[0], h[1], A's
	 * on link 10, E's. */
	day_is(db, day, 5, 6);

	/* Judged once: a pass over nothing new changes nothing. */
	assert_int_equal(rejudge_run(db, &dflt, S + 5001 + REJUDGE_SETTLE),
	    0);
}

/*
 * What a pass decides does not hang on where passes fall. Visitor 'Z'
 * clicks link 1 at T - 100 (D), then at T within a sweep of digest 1
 * (links 1..4 in four seconds, seen whole at T + 3), three times more,
 * and shares link 1 at T + 40. The last four clicks before the share are
 * the sweep's and the three after it: D stays a person's, judged in one
 * pass or in two cut inside the sweep (the sweep's click then stored
 * scanner when the share is judged).
 */
static void
cut_case(struct db *db, int64_t T, int cut)
{
	int64_t d, c, e[3], f;
	unsigned i;

	sql(db, "UPDATE report_state SET judged_to = 0");
	assert_int_equal(db_hits_judged_set(db, 0, T - 1000), 1);
	d = visit(db, 1, T - 100, "click", "human", 'Z');
	c = visit(db, 1, T, "click", "human", 'Z');
	(void)visit(db, 2, T + 1, "click", "human", 'Z');
	(void)visit(db, 3, T + 2, "click", "human", 'Z');
	(void)visit(db, 4, T + 3, "click", "human", 'Z');
	for (i = 0; i < 3; i++)
		e[i] = visit(db, 1, T + 10 * (i + 1), "click", "human", 'Z');
	f = visit(db, 1, T + 40, "share", "human", 'Z');
	if (cut)
		judge_at(db, T + 5 + REJUDGE_SETTLE, &dflt);
	judge_at(db, T + 100 + REJUDGE_SETTLE, &dflt);
	class_is(db, d, "human");
	class_is(db, c, "scanner");
	for (i = 0; i < 3; i++)
		class_is(db, e[i], "self");
	class_is(db, f, "human");
}

/*
 * One visitor id on both sides of a UTC midnight M: a redirector that
 * hashed a hit of 23:59:59 with the next day's key (visitor_hash only
 * moves forward). Visitor ids are one day's: the share before midnight
 * meets neither the click nor the share after it, in one pass or in two
 * cut at midnight.
 */
static void
midnight_case(struct db *db, int64_t M, int cut)
{
	int64_t c, s;

	sql(db, "UPDATE report_state SET judged_to = 0");
	assert_int_equal(db_hits_judged_set(db, 0, M - 1000), 1);
	(void)visit(db, 1, M - 1, "share", "human", 'M');
	c = visit(db, 1, M + 10, "click", "human", 'M');
	(void)visit(db, 2, M - 1, "share", "human", 'M');
	s = visit(db, 2, M + 30, "share", "human", 'M');
	if (cut)
		judge_at(db, M + REJUDGE_SETTLE, &dflt);
	judge_at(db, M + 100 + REJUDGE_SETTLE, &dflt);
	class_is(db, c, "human");
	repeat_is(db, s, 0);
}

static void
cuts_on(struct db *db)
{
	const int64_t day3 = 1800230400;

	cut_case(db, day3 + 40000, 0);
	cut_case(db, day3 + 86400 + 40000, 1);
	midnight_case(db, day3 + 3 * 86400, 0);
	midnight_case(db, day3 + 4 * 86400, 1);
}

/* The SQLite database's directory: made before the test and removed
 * after it, a failed assertion included (cmocka runs the teardown). */
static char dir[] = "/tmp/test_rejudge.XXXXXX";

static int
dir_setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
dir_teardown(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_sqlite(void **state)
{
	char path[64];
	struct db *db;

	(void)state;
	snprintf(path, sizeof(path), "%s/chorus.db", dir);
	assert_non_null(db = db_open(path, DB_CREATE));
	assert_int_equal(db_migrate(db, NULL, NULL), 0);
	sweeps_on(db);
	visitors_on(db);
	cuts_on(db);
	db_close(db);
}

static void
test_pg(void **state)
{
	const char *uri = getenv("CHORUS_TEST_PG_URI");
	struct db *db;

	(void)state;
	if (uri == NULL || *uri == '\0') {
		fprintf(stderr, "test_rejudge: CHORUS_TEST_PG_URI not set: "
		    "PostgreSQL skipped\n");
		skip();
	}
	assert_non_null(db = db_open(uri, 0));
	next_id = 1000;
	sweeps_on(db);
	visitors_on(db);
	cuts_on(db);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sqlite, dir_setup,
		    dir_teardown),
		cmocka_unit_test(test_pg),
	};

	log_init("chorus", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
