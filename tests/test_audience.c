/*
 * test_audience: the properties of the audience limit (digest/select.c,
 * README "Audience limits") over many random scenarios from fixed seeds:
 * the cap is never exceeded and is filled when it can be, fairness over
 * many posts, determinism whatever the order employees come in, and the
 * limit inside select_digest() with the spreading rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/day.h"
#include "digest/select.h"

/* The day number of a "YYYY-MM-DD" date, or -1. */
static long
dayn(const char *s)
{
	long day;

	return day_parse(s, &day, NULL) == -1 ? -1 : day;
}

#define MONDAY		"2026-11-23"
#define SCENARIOS	400	/* random scenarios per property */
#define MAX_PEOPLE	300

static const char *const role_names[] = { "eng", "sales", "ops" };
static const char *const role_sets[][2] = {
	{ "eng", NULL }, { "sales", NULL }, { "ops", NULL },
	{ "eng", "sales" }, { "ops", "sales" },
};

/* splitmix64: a small seeded generator, so each run draws the same. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static long
rnd_range(uint64_t *s, long lo, long hi)	/* inclusive */
{
	return lo + (long)(rnd(s) % (uint64_t)(hi - lo + 1));
}

static void
shuffle(struct select_candidate *c, size_t n, uint64_t *s)
{
	struct select_candidate t;
	size_t i, j;

	for (i = n; i > 1; i--) {
		j = (size_t)(rnd(s) % i);
		t = c[i - 1];
		c[i - 1] = c[j];
		c[j] = t;
	}
}

static struct select_candidate
daily(int64_t id, int64_t last)
{
	struct select_candidate c;

	memset(&c, 0, sizeof(c));
	c.e.id = id;
	c.e.frequency = FREQ_DAILY;
	c.e.active = 1;
	c.last = last;
	return c;
}

static struct select_post
limited(int64_t id, long count, long hundredths)
{
	struct select_post p;

	memset(&p, 0, sizeof(p));
	p.id = id;
	p.everyone = 1;
	p.audience_count = count;
	p.audience_hundredths = hundredths;
	return p;
}

/* Eligibility as the README states it, written out again here. */
static int
eligible(const struct select_candidate *c, const struct select_post *p,
    long day, long last)
{
	size_t i, j;
	int match = p->everyone;
	long d;

	for (i = 0; i < p->nroles; i++)
		for (j = 0; j < c->e.nroles; j++)
			match |= strcmp(p->roles[i], c->e.roles[j]) == 0;
	if (!match || !c->e.active || c->e.unsubscribed ||
	    c->e.frequency == FREQ_PAUSED)
		return 0;
	if (c->e.frequency == FREQ_DAILY)
		return 1;
	for (d = day; d <= last && d < day + 7; d++)
		if (day_weekday(d) == 1)
			return 1;
	return 0;
}

static void
test_cap_rounding(void **state)
{
	struct select_post p = limited(1, 0, 0);

	(void)state;
	p.audience_count = 25;
	assert_int_equal(select_audience_cap(&p, 10), 25);
	assert_int_equal(select_audience_cap(&p, 1000), 25);
	p.audience_count = 0;
	p.audience_hundredths = 4000;		/* 40% */
	assert_int_equal(select_audience_cap(&p, 28), 11);	/* 11.2 */
	assert_int_equal(select_audience_cap(&p, 30), 12);
	assert_int_equal(select_audience_cap(&p, 2), 1);	/* 0.8 */
	assert_int_equal(select_audience_cap(&p, 0), 0);
	p.audience_hundredths = 1250;		/* 12.5% */
	assert_int_equal(select_audience_cap(&p, 8), 1);
	assert_int_equal(select_audience_cap(&p, 15), 1);	/* 1.875 */
	assert_int_equal(select_audience_cap(&p, 16), 2);
	p.audience_hundredths = 1;		/* 0.01% */
	assert_int_equal(select_audience_cap(&p, 100000), 10);
	assert_int_equal(select_audience_cap(&p, 5), 1);
	p.audience_hundredths = 9999;		/* 99.99% */
	assert_int_equal(select_audience_cap(&p, 10000), 9999);
	assert_int_equal(select_audience_cap(&p, 100), 99);
	assert_int_equal(select_audience_cap(&p, 1), 1);
}

/* One random scenario: people with roles, frequencies, histories; a post
 * with roles, a window and a limit. */
static void
scenario(uint64_t *s, struct select_candidate *c, size_t *np,
    struct select_post *p, long *dayp)
{
	static const char *const proles[2] = { "sales", "ops" };
	size_t i, n = (size_t)rnd_range(s, 0, MAX_PEOPLE);
	long r;

	for (i = 0; i < n; i++) {
		const char *const *rs = role_sets[rnd(s) % 5];

		c[i] = daily((int64_t)i * 3 + 1, rnd_range(s, 0, 40));
		c[i].e.roles = rs;
		c[i].e.nroles = rs[1] != NULL ? 2 : 1;
		r = rnd_range(s, 0, 19);
		c[i].e.frequency = r < 3 ? FREQ_WEEKLY : r < 5 ?
		    FREQ_PAUSED : FREQ_DAILY;
		c[i].e.active = rnd_range(s, 0, 19) != 0;
		c[i].e.unsubscribed = rnd_range(s, 0, 19) == 0;
		c[i].offered = rnd_range(s, 0, 9) == 0;
	}
	*np = n;
	*p = limited((int64_t)rnd_range(s, 1, 1000000), 0, 0);
	if (rnd(s) % 2) {
		p->everyone = 0;
		p->roles = rnd(s) % 2 ? role_names : proles;
		p->nroles = (size_t)rnd_range(s, 1, 2);
	}
	if (rnd(s) % 2)
		p->audience_count = rnd_range(s, 1, MAX_PEOPLE + 20);
	else
		p->audience_hundredths = rnd_range(s, 1, 9999);
	/* Chosen on a day of the post's window. */
	p->expires = rnd(s) % 2 ? NULL : "2026-11-25";	/* a Wednesday */
	*dayp = dayn(MONDAY) + rnd_range(s, 0, p->expires ? 2 : 6);
}

/* The cap holds, is filled when it can be, the already offered stay, and
 * those chosen were chosen least recently. */
static void
test_cap_property(void **state)
{
	static struct select_candidate c[MAX_PEOPLE];
	struct select_post p;
	uint64_t seed = 1;
	size_t n, k, i, j, offered, elig, want_room;
	long day, last, base, cap, want_cap;
	int iter;

	(void)state;
	for (iter = 0; iter < SCENARIOS; iter++) {
		scenario(&seed, c, &n, &p, &day);
		last = p.expires != NULL && dayn(p.expires) < day + 6 ?
		    dayn(p.expires) : day + 6;
		offered = elig = 0;
		for (i = 0; i < n; i++) {
			offered += c[i].offered != 0;
			elig += !c[i].offered && eligible(&c[i], &p, day, last);
		}
		k = select_audience(&p, day, c, n, &base, &cap);

		assert_int_equal(base, (long)(offered + elig));
		if (p.audience_count > 0)
			want_cap = p.audience_count;
		else if (base == 0)
			want_cap = 0;
		else {
			want_cap = base * p.audience_hundredths / 10000;
			if (want_cap < 1)
				want_cap = 1;
		}
		assert_int_equal(cap, want_cap);
		assert_true(p.audience_count > 0 || cap <= base);
		/* Never past the cap, but for those offered before it. */
		assert_true(k <= (size_t)cap || k == offered);
		want_room = (size_t)cap > offered ? (size_t)cap - offered : 0;
		if (want_room > elig)
			want_room = elig;
		assert_int_equal(k, offered + want_room);
		for (i = 0; i < n; i++) {
			if (i < k)	/* chosen: offered or eligible */
				assert_true(c[i].offered ||
				    eligible(&c[i], &p, day, last));
			else		/* the offered are always in */
				assert_false(c[i].offered);
		}
		/* Priority: every chosen newcomer was chosen before (or as
		 * long ago and wins the tie) any eligible one left out. */
		for (i = offered; i < k; i++)
			for (j = k; j < n; j++) {
				if (!c[j].eligible)
					continue;
				assert_true(c[i].last < c[j].last ||
				    (c[i].last == c[j].last &&
				    c[i].tie <= c[j].tie));
			}
	}
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The chosen set depends on the data, never on the order it comes in. */
static void
test_deterministic(void **state)
{
	static struct select_candidate c[MAX_PEOPLE], d[MAX_PEOPLE];
	static int64_t a[MAX_PEOPLE], b[MAX_PEOPLE];
	struct select_post p;
	uint64_t seed = 2, mix = 99;
	size_t n, ka, kb, i;
	long day, base, cap, base2, cap2;
	int iter, round;

	(void)state;
	for (iter = 0; iter < SCENARIOS; iter++) {
		scenario(&seed, c, &n, &p, &day);
		memcpy(d, c, n * sizeof(*c));
		ka = select_audience(&p, day, c, n, &base, &cap);
		for (i = 0; i < ka; i++)
			a[i] = c[i].e.id;
		qsort(a, ka, sizeof(*a), cmp_i64);
		for (round = 0; round < 3; round++) {
			memcpy(c, d, n * sizeof(*c));
			shuffle(c, n, &mix);
			kb = select_audience(&p, day, c, n, &base2, &cap2);
			assert_int_equal(ka, kb);
			assert_int_equal(base, base2);
			assert_int_equal(cap, cap2);
			for (i = 0; i < kb; i++)
				b[i] = c[i].e.id;
			qsort(b, kb, sizeof(*b), cmp_i64);
			assert_memory_equal(a, b, ka * sizeof(*a));
		}
	}
}

/* Over N posts each limited to k of M employees (all eligible, choices
 * one after another), everyone is chosen at least once in every
 * ceil(M / k) posts, and the most and least chosen differ by at most 1. */
static void
test_fair_over_posts(void **state)
{
	static struct select_candidate c[MAX_PEOPLE];
	static long times[MAX_PEOPLE], lastpost[MAX_PEOPLE];
	uint64_t seed = 3;
	size_t m, k, i, j, chosen;
	long n, post, gap, most, least, base, cap;
	int iter;

	(void)state;
	for (iter = 0; iter < SCENARIOS / 4; iter++) {
		m = (size_t)rnd_range(&seed, 1, 120);
		k = (size_t)rnd_range(&seed, 1, (long)m);
		n = rnd_range(&seed, 1, 60);
		gap = (long)((m + k - 1) / k);
		for (i = 0; i < m; i++) {
			c[i] = daily((int64_t)rnd_range(&seed, 1, 1000) *
			    1000 + (int64_t)i, 0);
			times[i] = 0;
			lastpost[i] = 0;
		}
		for (post = 1; post <= n; post++) {
			struct select_post p = limited(post * 7919 + iter,
			    (long)k, 0);

			shuffle(c, m, &seed);
			chosen = select_audience(&p, dayn(MONDAY), c, m,
			    &base, &cap);
			assert_int_equal(chosen, k);
			/* Their seq as db/audience stores it: the
			 * choice, then the place in it. */
			for (i = 0; i < chosen; i++)
				c[i].last = post * 1024 + (long)i;
			/* Positions move with the shuffle: count by id. */
			for (i = 0; i < m; i++) {
				j = (size_t)(c[i].e.id % 1000);
				if (c[i].last / 1024 == post) {
					times[j]++;
					lastpost[j] = post;
				}
				/* Nobody waits gap posts: each of any gap
				 * posts in a row chose them at least once. */
				assert_true(post - lastpost[j] < gap);
			}
		}
		most = least = times[0];
		for (i = 1; i < m; i++) {
			if (times[i] > most)
				most = times[i];
			if (times[i] < least)
				least = times[i];
		}
		assert_true(most - least <= 1);
		if (n >= gap)
			assert_true(least >= 1);
	}
}

/* Everyone never chosen, one place: over many posts the winner varies
 * and everyone wins about as often (no fixed order always wins); and the
 * chosen are not those the spreading rule offers first. */
static void
test_tie_break_varies(void **state)
{
	struct select_candidate c[10];
	struct select_params sp = { 3, 5 };
	struct select_post p;
	long wins[10] = { 0 }, days[5] = { 0 }, base, cap;
	int64_t post;
	size_t i;

	(void)state;
	for (post = 1; post <= 1000; post++) {
		for (i = 0; i < 10; i++)
			c[i] = daily((int64_t)i + 1, 0);
		p = limited(post, 1, 0);
		assert_int_equal(select_audience(&p, 0, c, 10, &base, &cap),
		    1);
		wins[c[0].e.id - 1]++;
		p.available = MONDAY;
		days[select_first_day(&sp, &c[0].e, &p) - dayn(MONDAY)]++;
	}
	for (i = 0; i < 10; i++)
		assert_in_range(wins[i], 60, 140);	/* 100 expected */
	for (i = 0; i < 5; i++)
		assert_in_range(days[i], 140, 260);	/* 200 expected */
}

/* Days of digests, one limited post out each day, employees composed one
 * at a time in a different order every day (as their local mornings come
 * round the time zones): the first digest of a day chooses; each post
 * reaches exactly its cap, spread over the days; offers are as even as
 * the choices; and the same data gives the same offers in any order. */
#define SIM_PEOPLE	60
#define SIM_DAYS	38
#define SIM_CAP		7

struct sim {
	int64_t	 member[SIM_PEOPLE][SIM_DAYS + 1];	/* their limited posts */
	size_t	 nmember[SIM_PEOPLE];
	int64_t	 sugg[SIM_PEOPLE][SIM_DAYS + 1];
	size_t	 nsugg[SIM_PEOPLE];
	long	 offers[SIM_DAYS + 1];		/* per post */
	int	 offered_on[SIM_PEOPLE][SIM_DAYS + 1];	/* day, per post */
};

static void
simulate(struct sim *sim, uint64_t order_seed)
{
	struct select_params sp = { 3, 5 };
	struct select_post posts[SIM_DAYS];
	struct select_candidate c[SIM_PEOPLE];
	char date[SIM_DAYS][32];
	int64_t last[SIM_PEOPLE];
	size_t order[SIM_PEOPLE], chosen[3], nchosen, i, j, t, np, k;
	long base, cap, day0 = dayn(MONDAY);
	int d, chose;

	memset(sim, 0, sizeof(*sim));
	memset(last, 0, sizeof(last));
	for (d = 0; d < SIM_DAYS; d++) {
		/* The date of day0 + d (23 November to 30 December). */
		snprintf(date[d], sizeof(date[d]), "2026-%02d-%02d",
		    d + 23 <= 30 ? 11 : 12, d + 23 <= 30 ? d + 23 : d - 7);
		assert_int_equal(dayn(date[d]), day0 + d);
		posts[d] = limited(d + 1, SIM_CAP, 0);
		posts[d].available = date[d];
		posts[d].starts = date[d];
		posts[d].expires = NULL;
	}
	for (i = 0; i < SIM_PEOPLE; i++)
		order[i] = i;
	for (d = 0; d < SIM_DAYS; d++) {
		/* This morning's order of employees. */
		for (i = SIM_PEOPLE; i > 1; i--) {
			j = (size_t)(rnd(&order_seed) % i);
			t = order[i - 1];
			order[i - 1] = order[j];
			order[j] = t;
		}
		chose = 0;
		np = (size_t)d + 1;	/* posts out so far */
		for (i = 0; i < SIM_PEOPLE; i++) {
			size_t e = order[i];
			struct select_employee se;

			if (!chose) {
				/* The first digest of the day chooses. */
				for (j = 0; j < SIM_PEOPLE; j++) {
					c[j] = daily((int64_t)j + 1, last[j]);
					c[j].offered = 0;
				}
				k = select_audience(&posts[d], day0 + d, c,
				    SIM_PEOPLE, &base, &cap);
				for (j = 0; j < k; j++) {
					size_t who = (size_t)c[j].e.id - 1;

					sim->member[who][sim->nmember[who]++] =
					    posts[d].id;
					last[who] = (d + 1) * 1024 + (long)j;
				}
				chose = 1;
			}
			memset(&se, 0, sizeof(se));
			se.id = (int64_t)e + 1;
			se.frequency = FREQ_DAILY;
			se.active = 1;
			se.audience = sim->member[e];
			se.naudience = sim->nmember[e];
			assert_int_not_equal(select_digest(&sp, &se, date[d],
			    posts, np, sim->sugg[e], sim->nsugg[e], chosen,
			    &nchosen), SELECT_BAD_DATE);
			for (j = 0; j < nchosen; j++) {
				int64_t pid = posts[chosen[j]].id;

				sim->sugg[e][sim->nsugg[e]++] = pid;
				qsort(sim->sugg[e], sim->nsugg[e],
				    sizeof(int64_t), cmp_i64);
				sim->offers[pid]++;
				sim->offered_on[e][pid] = d + 1;
			}
		}
	}
}

static void
test_simulation(void **state)
{
	static struct sim a, b;
	long most = 0, least = SIM_DAYS, spread_days[5] = { 0 }, off;
	long done = SIM_DAYS - 6;	/* posts whose window has passed */
	size_t e;
	int64_t pid;

	(void)state;
	simulate(&a, 11);
	for (pid = 1; pid <= SIM_DAYS; pid++) {
		assert_true(a.offers[pid] <= SIM_CAP);
		if (pid <= done)
			assert_int_equal(a.offers[pid], SIM_CAP);
	}
	for (e = 0; e < SIM_PEOPLE; e++) {
		long n = 0;

		for (pid = 1; pid <= done; pid++) {
			if (a.offered_on[e][pid] == 0)
				continue;
			n++;
			if ((off = a.offered_on[e][pid] - pid) < 5)
				spread_days[off]++;
		}
		if (n > most)
			most = n;
		if (n < least)
			least = n;
	}
	/* done x 7 places over 60 people: as even as whole numbers go. */
	assert_true(least >= done * SIM_CAP / SIM_PEOPLE);
	assert_true(most <= (done * SIM_CAP + SIM_PEOPLE - 1) / SIM_PEOPLE);
	/* Still spread: members are offered on each of the 5 days. */
	for (e = 0; e < 5; e++)
		assert_true(spread_days[e] > 0);

	/* Another order of mornings every day: the same offers. */
	simulate(&b, 12345);
	assert_memory_equal(a.offered_on, b.offered_on,
	    sizeof(a.offered_on));
}

/* select_digest() offers a limited post to its members only, from their
 * spreading day on, once. */
static void
test_digest_members_only(void **state)
{
	struct select_params sp = { 3, 1 };
	struct select_employee e;
	struct select_post p[2];
	int64_t mine[] = { 5 }, none[] = { 0 }, sugg[] = { 5 };
	size_t chosen[3], n;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.id = 1;
	e.frequency = FREQ_DAILY;
	e.active = 1;
	p[0] = limited(5, 10, 0);
	p[1] = limited(6, 0, 0);	/* not limited */
	assert_int_equal(select_digest(&sp, &e, MONDAY, p, 2, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 1);
	assert_int_equal(p[chosen[0]].id, 6);
	e.audience = none;
	e.naudience = 1;
	assert_int_equal(select_digest(&sp, &e, MONDAY, p, 1, NULL, 0,
	    chosen, &n), SELECT_NOTHING_NEW);
	e.audience = mine;
	assert_int_equal(select_digest(&sp, &e, MONDAY, p, 2, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 2);
	assert_int_equal(select_digest(&sp, &e, MONDAY, p, 1, sugg, 1,
	    chosen, &n), SELECT_NOTHING_NEW);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_rounding),
		cmocka_unit_test(test_cap_property),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_fair_over_posts),
		cmocka_unit_test(test_tie_break_varies),
		cmocka_unit_test(test_simulation),
		cmocka_unit_test(test_digest_members_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
