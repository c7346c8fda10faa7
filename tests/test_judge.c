/*
 * Tests of the judge, with each hit's own time as the clock: a gateway's
 * sweep of a whole digest becomes scanner, earlier hits included; the
 * people around it still count (one who reads the digest a minute after
 * the sweep, a dozen people on one viral link, a share and another
 * network's share a quarter of a minute apart); delivery time supports
 * the rule but never decides alone; an employee's own clicks are self;
 * a rolled-back batch is forgotten, the pages it saw too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "redirector/judge.h"

#define MAXHITS	512
#define T0	1800000000		/* a Unix time */

/* The store: the class each stored hit has now, by id. */
struct store {
	struct judge	*j;
	int64_t		 next_id;
	enum hit_class	 class[MAXHITS];
	size_t		 nrevs;
};

static void
store_init(struct store *s, int window, int links, int fresh_links,
    int fresh)
{
	struct judge_conf c = { window, links, fresh_links, fresh };

	memset(s, 0, sizeof(*s));
	s->j = judge_new(&c);
	s->next_id = 1;
}

/* A hit of visitor v (0: none) on link (digest d, employee 1) at ts;
 * returns its id. */
static int64_t
hit(struct store *s, int64_t d, int64_t delivered, int64_t link,
    enum hit_kind kind, enum hit_class class, int v, int64_t ts)
{
	struct judge_rev revs[128];
	struct hit h;
	int64_t id = s->next_id++;
	size_t n, i;

	memset(&h, 0, sizeof(h));
	h.link_id = link;
	h.kind = kind;
	h.class = class;
	h.ts = ts;
	h.employee_id = 1;
	h.digest_id = d;
	h.delivered = delivered;
	if (v != 0) {
		h.has_visitor = 1;
		memset(h.visitor, v, sizeof(h.visitor));
	}
	n = judge_hit(s->j, id, &h, revs, 128);
	assert_true(id < MAXHITS);
	s->class[id] = h.class;
	for (i = 0; i < n; i++) {
		assert_true(revs[i].id > 0 && revs[i].id < id);
		/* As db/hits.c does: self only for a human hit. */
		if (revs[i].to == HIT_SELF &&
		    s->class[revs[i].id] != HIT_HUMAN)
			continue;
		s->class[revs[i].id] = revs[i].to;
		s->nrevs++;
	}
	return id;
}

/* A page of digest d seen (not stored). */
static void
page(struct store *s, int64_t d, int64_t url, int64_t ts)
{
	struct judge_rev revs[128];
	struct hit h;
	size_t n, i;

	memset(&h, 0, sizeof(h));
	h.link_id = url;
	h.ts = ts;
	h.employee_id = 1;
	h.digest_id = d;
	n = judge_hit(s->j, 0, &h, revs, 128);
	for (i = 0; i < n; i++)
		s->class[revs[i].id] = revs[i].to;
}

static size_t
count(const struct store *s, int64_t from, int64_t to, enum hit_class c)
{
	size_t n = 0;
	int64_t id;

	for (id = from; id <= to; id++)
		n += s->class[id] == c;
	return n;
}

/* A digest of three posts on three networks (links 1-9), swept within
 * two seconds: every link's click and share by GET, the clicks by HEAD
 * too, each from another address (visitor) with a browser User-Agent. */
static int64_t
sweep(struct store *s, int64_t d, int64_t delivered, int64_t t, int vbase)
{
	int64_t first = s->next_id, link;
	int k = 0;

	for (link = 1; link <= 9; link++) {
		(void)hit(s, d, delivered, link, HIT_CLICK, HIT_HEAD,
		    vbase + k, t + k / 14);
		k++;
		(void)hit(s, d, delivered, link, HIT_CLICK, HIT_HUMAN,
		    vbase + k, t + k / 14);
		k++;
		(void)hit(s, d, delivered, link, HIT_SHARE, HIT_HUMAN,
		    vbase + k, t + k / 14);
		k++;
	}
	return first;
}

static void
test_sweep_whole_digest(void **state)
{
	struct store s;
	int64_t first;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	first = sweep(&s, 10, T0 - 20, T0, 100);
	/* Every one of its 27 hits, the first three included. */
	assert_int_equal(count(&s, first, first + 26, HIT_SCANNER), 27);
	/* The first ones were answered before it was seen: revised. */
	assert_true(s.nrevs >= 3);
	judge_free(s.j);
}

static void
test_sweep_far_from_delivery(void **state)
{
	struct store s;
	int64_t first;

	(void)state;
	/* A gateway that rescans days later, or an unknown delivery: the
	 * link count alone decides. */
	store_init(&s, 5, 4, 3, 600);
	first = sweep(&s, 10, 0, T0, 100);
	assert_int_equal(count(&s, first, first + 26, HIT_SCANNER), 27);
	judge_free(s.j);
}

static void
test_person_after_sweep(void **state)
{
	struct store s;
	int64_t a, b, c;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	(void)sweep(&s, 10, T0 - 5, T0, 100);
	/* The employee reads it the minute it lands: one share, then
	 * another network's share a quarter of a minute later, then a look
	 * at their own link. */
	a = hit(&s, 10, T0 - 5, 1, HIT_SHARE, HIT_HUMAN, 7, T0 + 60);
	b = hit(&s, 10, T0 - 5, 2, HIT_SHARE, HIT_HUMAN, 7, T0 + 75);
	c = hit(&s, 10, T0 - 5, 4, HIT_CLICK, HIT_HUMAN, 7, T0 + 80);
	assert_int_equal(s.class[a], HIT_HUMAN);
	assert_int_equal(s.class[b], HIT_HUMAN);
	assert_int_equal(s.class[c], HIT_HUMAN);
	judge_free(s.j);
}

static void
test_viral_is_reach(void **state)
{
	struct store s;
	int64_t first, sa, sb;
	int v;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	/* A dozen people on one post's link within seconds, the day the
	 * digest went out. */
	first = s.next_id;
	for (v = 0; v < 12; v++)
		(void)hit(&s, 10, T0 - 30, 1, HIT_CLICK, HIT_HUMAN, 50 + v,
		    T0 + v / 4);
	assert_int_equal(count(&s, first, first + 11, HIT_HUMAN), 12);
	/* Meanwhile the employee shares two other posts: three distinct
	 * links fresh from delivery, but the viral one is reach. */
	sa = hit(&s, 10, T0 - 30, 4, HIT_SHARE, HIT_HUMAN, 7, T0 + 2);
	sb = hit(&s, 10, T0 - 30, 7, HIT_SHARE, HIT_HUMAN, 7, T0 + 3);
	assert_int_equal(count(&s, first, first + 11, HIT_HUMAN), 12);
	assert_int_equal(s.class[sa], HIT_HUMAN);
	assert_int_equal(s.class[sb], HIT_HUMAN);
	judge_free(s.j);
}

static void
test_delivery_supports_never_decides(void **state)
{
	struct store s;
	int64_t a, b, c;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	/* Three distinct links within a second, a day after delivery: a
	 * person may open three tabs; not a sweep. */
	a = hit(&s, 10, T0 - 86400, 1, HIT_SHARE, HIT_HUMAN, 7, T0);
	(void)hit(&s, 10, T0 - 86400, 2, HIT_SHARE, HIT_HUMAN, 7, T0);
	c = hit(&s, 10, T0 - 86400, 3, HIT_SHARE, HIT_HUMAN, 7, T0 + 1);
	assert_int_equal(count(&s, a, c, HIT_HUMAN), 3);
	/* Fresh from delivery, with different addresses: a sweep. */
	a = hit(&s, 11, T0 + 100, 11, HIT_CLICK, HIT_HUMAN, 20, T0 + 110);
	b = hit(&s, 11, T0 + 100, 12, HIT_CLICK, HIT_HUMAN, 21, T0 + 110);
	assert_int_equal(count(&s, a, b, HIT_HUMAN), 2);
	c = hit(&s, 11, T0 + 100, 13, HIT_SHARE, HIT_HUMAN, 22, T0 + 111);
	assert_int_equal(count(&s, a, c, HIT_SCANNER), 3);
	/* Delivery alone (one link, right away) is nothing. */
	a = hit(&s, 12, T0 + 200, 21, HIT_CLICK, HIT_HUMAN, 30, T0 + 201);
	assert_int_equal(s.class[a], HIT_HUMAN);
	/* With delivery time off, three are not enough. */
	judge_free(s.j);
	store_init(&s, 5, 4, 3, 0);
	a = hit(&s, 11, T0 + 100, 11, HIT_CLICK, HIT_HUMAN, 20, T0 + 110);
	(void)hit(&s, 11, T0 + 100, 12, HIT_CLICK, HIT_HUMAN, 21, T0 + 110);
	c = hit(&s, 11, T0 + 100, 13, HIT_SHARE, HIT_HUMAN, 22, T0 + 111);
	assert_int_equal(count(&s, a, c, HIT_HUMAN), 3);
	judge_free(s.j);
}

static void
test_window_and_digests_apart(void **state)
{
	struct store s;
	int64_t a, d;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	/* Four links, but a minute apart: one person, taking their time. */
	a = hit(&s, 10, 0, 1, HIT_SHARE, HIT_HUMAN, 7, T0);
	(void)hit(&s, 10, 0, 2, HIT_SHARE, HIT_HUMAN, 7, T0 + 60);
	(void)hit(&s, 10, 0, 3, HIT_SHARE, HIT_HUMAN, 7, T0 + 120);
	d = hit(&s, 10, 0, 4, HIT_SHARE, HIT_HUMAN, 7, T0 + 180);
	assert_int_equal(count(&s, a, d, HIT_HUMAN), 4);
	/* Four links of four digests at once: no digest was swept. */
	a = hit(&s, 21, 0, 31, HIT_CLICK, HIT_HUMAN, 40, T0 + 500);
	(void)hit(&s, 22, 0, 32, HIT_CLICK, HIT_HUMAN, 41, T0 + 500);
	(void)hit(&s, 23, 0, 33, HIT_CLICK, HIT_HUMAN, 42, T0 + 500);
	d = hit(&s, 24, 0, 34, HIT_CLICK, HIT_HUMAN, 43, T0 + 500);
	assert_int_equal(count(&s, a, d, HIT_HUMAN), 4);
	judge_free(s.j);
}

static void
test_footer_pages_count(void **state)
{
	struct store s;
	int64_t a, b;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	/* One post on one network: one link only, but the gateway also
	 * opens the footer's preferences and unsubscribe pages, at
	 * delivery. */
	a = hit(&s, 10, T0 - 10, 1, HIT_CLICK, HIT_HUMAN, 20, T0);
	b = hit(&s, 10, T0 - 10, 1, HIT_SHARE, HIT_HUMAN, 21, T0);
	page(&s, 10, JUDGE_URL_PREF, T0 + 1);
	assert_int_equal(count(&s, a, b, HIT_HUMAN), 2);
	page(&s, 10, JUDGE_URL_UNSUB, T0 + 1);
	assert_int_equal(count(&s, a, b, HIT_SCANNER), 2);
	judge_free(s.j);
}

static void
test_links_not_routes(void **state)
{
	struct store s;
	int64_t first;
	int v;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	/* Right at delivery the employee opens their own link, shares it
	 * on LinkedIn and, a second later, on X; people click at once. Two
	 * links: nothing here is a sweep. */
	first = s.next_id;
	(void)hit(&s, 10, T0 - 5, 1, HIT_CLICK, HIT_HUMAN, 7, T0);
	(void)hit(&s, 10, T0 - 5, 1, HIT_SHARE, HIT_HUMAN, 7, T0);
	(void)hit(&s, 10, T0 - 5, 2, HIT_SHARE, HIT_HUMAN, 7, T0 + 1);
	for (v = 0; v < 12; v++)
		(void)hit(&s, 10, T0 - 5, 1, HIT_CLICK, HIT_HUMAN, 50 + v,
		    T0 + 1 + v / 6);
	assert_int_equal(count(&s, first, first + 14, HIT_SCANNER), 0);
	assert_int_equal(s.class[first], HIT_SELF);
	assert_int_equal(count(&s, first + 1, first + 14, HIT_HUMAN), 14);
	judge_free(s.j);
}

static void
test_self(void **state)
{
	struct store s;
	int64_t c1, c2, sh, c3, other, c4, sh2;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	/* The employee opens their own link, then shares it ten minutes
	 * later: the click was theirs. */
	c1 = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0);
	c2 = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0 + 30);
	other = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 8, T0 + 40);
	assert_int_equal(s.class[c1], HIT_HUMAN);
	sh = hit(&s, 10, 0, 1, HIT_SHARE, HIT_HUMAN, 7, T0 + 600);
	/* A click never hides a share. */
	assert_int_equal(s.class[sh], HIT_HUMAN);
	assert_int_equal(s.class[c1], HIT_SELF);
	assert_int_equal(s.class[c2], HIT_SELF);
	/* Someone else's click is reach. */
	assert_int_equal(s.class[other], HIT_HUMAN);
	/* Later the same day: still theirs. */
	c3 = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0 + 3600);
	assert_int_equal(s.class[c3], HIT_SELF);
	/* Their click on a link they did not share is a click. */
	c4 = hit(&s, 10, 0, 2, HIT_CLICK, HIT_HUMAN, 7, T0 + 3700);
	assert_int_equal(s.class[c4], HIT_HUMAN);
	/* A bot's share makes nothing self. */
	sh2 = hit(&s, 10, 0, 2, HIT_SHARE, HIT_BOT, 7, T0 + 3800);
	assert_int_equal(s.class[sh2], HIT_BOT);
	assert_int_equal(s.class[c4], HIT_HUMAN);
	judge_free(s.j);
}

/* A share takes the clicks of the half hour before it, as the reports'
 * judge of every node's hits does: an older one stays a person's,
 * whichever judge sees the two. */
static void
test_self_half_hour(void **state)
{
	struct store s;
	int64_t old, edge, recent, sh, after;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	old = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0);
	edge = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0 + 200);
	recent = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0 + 1500);
	sh = hit(&s, 10, 0, 1, HIT_SHARE, HIT_HUMAN, 7,
	    T0 + 200 + JUDGE_SELF_BEFORE);
	assert_int_equal(s.class[sh], HIT_HUMAN);
	assert_int_equal(s.class[old], HIT_HUMAN);
	assert_int_equal(s.class[edge], HIT_SELF);
	assert_int_equal(s.class[recent], HIT_SELF);
	/* After the share, however late that day: theirs. */
	after = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0 + 20000);
	assert_int_equal(s.class[after], HIT_SELF);
	judge_free(s.j);
}

static void
test_undo(void **state)
{
	struct store s;
	struct judge_rev revs[128];
	struct hit h;
	int64_t c1, link;
	size_t n = 0;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	c1 = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0);
	/* A batch whose ids would start at 2 rolls back. */
	judge_mark(s.j, 2);
	memset(&h, 0, sizeof(h));
	h.employee_id = 1;
	h.digest_id = 10;
	h.ts = T0 + 1;
	h.kind = HIT_CLICK;
	for (link = 2; link <= 5; link++) {
		h.link_id = link;
		h.class = HIT_HUMAN;
		n += judge_hit(s.j, link, &h, revs + n, 128 - n);
	}
	assert_int_equal(h.class, HIT_SCANNER);	/* the batch saw a sweep */
	assert_true(n >= 1 && revs[0].id == c1);
	judge_undo(s.j);
	/* Forgotten: ids 2-5 will be other hits. One more link alone is no
	 * sweep, and the click's class was put back. */
	judge_mark(s.j, 2);
	s.next_id = 2;
	(void)hit(&s, 10, 0, 6, HIT_CLICK, HIT_HUMAN, 9, T0 + 2);
	assert_int_equal(s.class[2], HIT_HUMAN);
	(void)hit(&s, 10, 0, 7, HIT_CLICK, HIT_HUMAN, 10, T0 + 2);
	(void)hit(&s, 10, 0, 8, HIT_CLICK, HIT_HUMAN, 11, T0 + 2);
	/* Now four links again (1, 6, 7, 8): c1 is revised once more,
	 * which needs its class to have been put back to human. */
	assert_int_equal(s.class[c1], HIT_SCANNER);
	judge_free(s.j);
}

/* The pages a rolled-back batch saw are forgotten with its hits: the
 * batch tried again sees them once more, and counts them once. */
static void
test_undo_pages(void **state)
{
	struct store s;
	int64_t a, b;
	int i;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	a = hit(&s, 10, T0 - 10, 1, HIT_CLICK, HIT_HUMAN, 20, T0);
	b = hit(&s, 10, T0 - 10, 1, HIT_SHARE, HIT_HUMAN, 21, T0);
	/* A batch of three fetches of the preferences page rolls back, and
	 * is tried again. */
	judge_mark(s.j, s.next_id);
	for (i = 0; i < 3; i++)
		page(&s, 10, JUDGE_URL_PREF, T0 + 1);
	judge_undo(s.j);
	judge_mark(s.j, s.next_id);
	for (i = 0; i < 3; i++)
		page(&s, 10, JUDGE_URL_PREF, T0 + 1);
	assert_int_equal(count(&s, a, b, HIT_HUMAN), 2);
	/* Three fetches, sparse still: with the unsubscribe page, the
	 * sweep of test_footer_pages_count. Counted twice, the page would
	 * have been fetched six times, by many people, and hidden it. */
	page(&s, 10, JUDGE_URL_UNSUB, T0 + 1);
	assert_int_equal(count(&s, a, b, HIT_SCANNER), 2);
	judge_free(s.j);
}

/* A share in a rolled-back batch took the visitor's earlier click to
 * revise it self; tried again, the share takes it once more. */
static void
test_undo_self(void **state)
{
	struct store s;
	struct judge_rev revs[128];
	struct hit h;
	int64_t c1;
	int k;

	(void)state;
	store_init(&s, 5, 4, 3, 600);
	c1 = hit(&s, 10, 0, 1, HIT_CLICK, HIT_HUMAN, 7, T0);
	memset(&h, 0, sizeof(h));
	h.link_id = 1;
	h.kind = HIT_SHARE;
	h.ts = T0 + 600;
	h.employee_id = 1;
	h.digest_id = 10;
	h.has_visitor = 1;
	memset(h.visitor, 7, sizeof(h.visitor));
	for (k = 0; k < 2; k++) {
		judge_mark(s.j, s.next_id);
		h.class = HIT_HUMAN;
		assert_int_equal(judge_hit(s.j, s.next_id, &h, revs, 128), 1);
		assert_int_equal(revs[0].id, c1);
		assert_int_equal(revs[0].to, HIT_SELF);
		if (k == 0)
			judge_undo(s.j);	/* rolled back */
	}
	judge_free(s.j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_whole_digest),
		cmocka_unit_test(test_sweep_far_from_delivery),
		cmocka_unit_test(test_person_after_sweep),
		cmocka_unit_test(test_viral_is_reach),
		cmocka_unit_test(test_delivery_supports_never_decides),
		cmocka_unit_test(test_window_and_digests_apart),
		cmocka_unit_test(test_footer_pages_count),
		cmocka_unit_test(test_links_not_routes),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_self_half_hour),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_undo_pages),
		cmocka_unit_test(test_undo_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
