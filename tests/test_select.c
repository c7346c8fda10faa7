/* test_select: the choice of posts and the properties of the spreading rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/day.h"
#include "digest/select.h"

#define MONDAY		"2026-11-23"	/* day 20780 */
#define TUESDAY		"2026-11-24"

/* The day number of a date the test knows to be good. */
static long
day_of(const char *date)
{
	long day = -1;

	assert_int_equal(day_parse(date, &day, NULL), 0);
	return day;
}

static const char *const eng[] = { "engineering" };
static const char *const sales_lead[] = { "sales", "leadership" };
static const char *const only_eng[] = { "engineering" };
static const char *const only_sales[] = { "sales" };

static struct select_params params = { 3, 1 };	/* no spreading */

static struct select_employee
employee(int64_t id)
{
	struct select_employee e = { .id = id, .frequency = FREQ_DAILY,
	    .active = 1, .roles = eng, .nroles = 1 };

	return e;
}

static struct select_post
post(int64_t id, long priority)
{
	struct select_post p = { .id = id, .priority = priority,
	    .everyone = 1 };

	return p;
}

static void
test_roles(void **state)
{
	struct select_employee e = employee(1);
	struct select_post p[3];
	size_t chosen[3], n;

	(void)state;
	p[0] = post(10, 0);
	p[0].everyone = 0;
	p[0].roles = only_sales;
	p[0].nroles = 1;
	p[1] = post(11, 0);
	p[1].everyone = 0;
	p[1].roles = only_eng;
	p[1].nroles = 1;
	p[2] = post(12, 0);		/* everyone */
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 3, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 2);
	assert_int_equal(chosen[0], 1);
	assert_int_equal(chosen[1], 2);

	/* One role of several is enough. */
	e.roles = sales_lead;
	e.nroles = 2;
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 3, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 2);
	assert_int_equal(chosen[0], 0);
	assert_int_equal(chosen[1], 2);
}

static void
test_window(void **state)
{
	struct select_employee e = employee(1);
	struct select_post p[4];
	size_t chosen[3], n;

	(void)state;
	p[0] = post(1, 0);
	p[0].starts = TUESDAY;		/* not yet */
	p[0].expires = "2026-12-30";
	p[1] = post(2, 0);
	p[1].expires = "2026-11-22";	/* yesterday */
	p[2] = post(3, 0);
	p[2].starts = MONDAY;		/* both ends inclusive */
	p[2].expires = MONDAY;
	p[3] = post(4, 0);
	p[3].starts = "2026-11-01";
	p[3].expires = "2026-12-31";
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 4, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 2);
	assert_int_equal(chosen[0], 2);		/* expires first */
	assert_int_equal(chosen[1], 3);
	assert_int_equal(select_digest(&params, &e, TUESDAY, p, 4, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 2);
	assert_int_equal(chosen[0], 0);		/* expires first */
	assert_int_equal(chosen[1], 3);
	assert_int_equal(select_digest(&params, &e, "2027-01-01", p, 4, NULL,
	    0, chosen, &n), SELECT_NOTHING_NEW);
	assert_int_equal(n, 0);
	assert_int_equal(select_digest(&params, &e, "2026-02-30", p, 4, NULL,
	    0, chosen, &n), SELECT_BAD_DATE);
}

static void
test_priority_and_max(void **state)
{
	struct select_employee e = employee(7);
	struct select_post p[8];
	struct select_params two = { 2, 1 };
	size_t chosen[3], n, i;
	static const long prio[8] = { 0, 5, -1, 5, 9, 0, 3, 9 };

	(void)state;
	for (i = 0; i < 8; i++)
		p[i] = post((int64_t)(100 - i), prio[i]);
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 8, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 3);
	/* 9 (ids 96, 93: lower id first), then 5 (ids 99, 97). */
	assert_int_equal(chosen[0], 7);
	assert_int_equal(chosen[1], 4);
	assert_int_equal(chosen[2], 3);
	assert_int_equal(select_digest(&two, &e, MONDAY, p, 8, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 2);
	assert_int_equal(chosen[0], 7);
	assert_int_equal(chosen[1], 4);
}

static void
test_already_suggested(void **state)
{
	struct select_employee e = employee(7);
	struct select_post p[3];
	const int64_t sugg[] = { 2, 3, 40 };
	const int64_t all[] = { 1, 2, 3 };
	size_t chosen[3], n;

	(void)state;
	p[0] = post(3, 9);
	p[1] = post(1, 0);
	p[2] = post(2, 5);
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 3, sugg, 3,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 1);
	assert_int_equal(chosen[0], 1);
	/* Nothing new left: skip, no email. */
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 3, all, 3,
	    chosen, &n), SELECT_NOTHING_NEW);
	assert_int_equal(n, 0);
	assert_int_equal(select_digest(&params, &e, MONDAY, NULL, 0, NULL, 0,
	    chosen, &n), SELECT_NOTHING_NEW);
}

/* A declined post is never offered again, even when the suggestions that
 * already keep it out are gone (a reset, a restore): the rule is its own. */
static void
test_declined(void **state)
{
	struct select_employee e = employee(7);
	struct select_post p[3];
	const int64_t declined[] = { 2, 3 };
	const int64_t one[] = { 3 };
	size_t chosen[3], n;

	(void)state;
	p[0] = post(3, 9);
	p[1] = post(1, 0);
	p[2] = post(2, 5);
	e.declined = declined;
	e.ndeclined = 2;
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 3, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 1);
	assert_int_equal(chosen[0], 1);
	/* Declined or suggested, nothing is left. */
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 3,
	    (const int64_t[]){ 1 }, 1, chosen, &n), SELECT_NOTHING_NEW);
	/* Only what was declined is kept out. */
	e.declined = one;
	e.ndeclined = 1;
	assert_int_equal(select_digest(&params, &e, MONDAY, p, 3, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 2);
	assert_int_equal(chosen[0], 2);
	assert_int_equal(chosen[1], 1);
}

static void
test_frequency(void **state)
{
	struct select_employee e = employee(7);
	struct select_post p = post(1, 0);
	size_t chosen[3], n;
	long day;

	(void)state;
	e.frequency = FREQ_WEEKLY;
	assert_int_equal(select_digest(&params, &e, MONDAY, &p, 1, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	/* Every other day of the week: no digest. */
	for (day = day_of(TUESDAY); day < day_of(TUESDAY) + 6; day++)
		assert_int_equal(select_is_due(&e, day), 0);
	assert_int_equal(select_digest(&params, &e, TUESDAY, &p, 1, NULL, 0,
	    chosen, &n), SELECT_NOT_DUE);
	assert_int_equal(n, 0);
	assert_int_equal(select_is_due(&e, day_of(MONDAY) + 7), 1);

	e.frequency = FREQ_PAUSED;
	assert_int_equal(select_digest(&params, &e, MONDAY, &p, 1, NULL, 0,
	    chosen, &n), SELECT_NOT_DUE);
	e.frequency = FREQ_DAILY;
	e.unsubscribed = 1;
	assert_int_equal(select_digest(&params, &e, MONDAY, &p, 1, NULL, 0,
	    chosen, &n), SELECT_NOT_DUE);
	e.unsubscribed = 0;
	e.active = 0;
	assert_int_equal(select_digest(&params, &e, TUESDAY, &p, 1, NULL, 0,
	    chosen, &n), SELECT_NOT_DUE);
	e.active = 1;
	assert_int_equal(select_digest(&params, &e, TUESDAY, &p, 1, NULL, 0,
	    chosen, &n), SELECT_POSTS);
}

/* weekdays: Monday to Friday of the employee's local date, never on
 * Saturday or Sunday, whatever is waiting. */
static void
test_weekdays(void **state)
{
	struct select_employee e = employee(7);
	struct select_post p = post(1, 0);
	size_t chosen[3], n;
	long day, monday = day_of(MONDAY);

	(void)state;
	e.frequency = FREQ_WEEKDAYS;
	for (day = monday; day < monday + 5; day++)
		assert_int_equal(select_is_due(&e, day), 1);
	assert_int_equal(select_is_due(&e, monday + 5), 0);	/* Saturday */
	assert_int_equal(select_is_due(&e, monday + 6), 0);	/* Sunday */
	assert_int_equal(select_is_due(&e, monday - 1), 0);
	assert_int_equal(select_is_due(&e, monday + 7), 1);
	assert_int_equal(select_digest(&params, &e, "2026-11-29", &p, 1, NULL,
	    0, chosen, &n), SELECT_NOT_DUE);
	assert_int_equal(n, 0);
	assert_int_equal(select_digest(&params, &e, "2026-11-27", &p, 1, NULL,
	    0, chosen, &n), SELECT_POSTS);
	e.unsubscribed = 1;
	assert_int_equal(select_is_due(&e, monday), 0);
}

/* Topics: a followed role brings its posts in, a muted HR role keeps its
 * posts out unless another of the employee's roles brings them in, and
 * neither touches posts for everyone. */
static void
test_follows_mutes(void **state)
{
	static const char *const roles[] = { "engineering", "hr" };
	static const char *const follow_sales[] = { "sales" };
	static const char *const mute_hr[] = { "hr" };
	static const char *const only_hr[] = { "hr" };
	static const char *const hr_eng[] = { "hr", "engineering" };
	struct select_employee e = employee(7);
	struct select_post p[5];
	size_t chosen[5], n;
	struct select_params five = { 5, 1 };

	(void)state;
	e.roles = roles;
	e.nroles = 2;
	p[0] = post(1, 5);		/* sales */
	p[0].everyone = 0;
	p[0].roles = only_sales;
	p[0].nroles = 1;
	p[1] = post(2, 4);		/* hr */
	p[1].everyone = 0;
	p[1].roles = only_hr;
	p[1].nroles = 1;
	p[2] = post(3, 3);		/* hr and engineering */
	p[2].everyone = 0;
	p[2].roles = hr_eng;
	p[2].nroles = 2;
	p[3] = post(4, 2);		/* everyone */
	p[4] = post(5, 1);		/* engineering */
	p[4].everyone = 0;
	p[4].roles = only_eng;
	p[4].nroles = 1;

	/* HR's roles alone: hr, hr+engineering, everyone, engineering. */
	assert_int_equal(select_digest(&five, &e, MONDAY, p, 5, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 4);
	assert_int_equal(chosen[0], 1);
	assert_false(select_role_match(&e, &p[0]));

	e.follows = follow_sales;
	e.nfollows = 1;
	e.mutes = mute_hr;
	e.nmutes = 1;
	assert_true(select_role_match(&e, &p[0]));
	assert_false(select_role_match(&e, &p[1]));
	assert_true(select_role_match(&e, &p[2]));
	assert_true(select_role_match(&e, &p[3]));
	assert_true(select_role_match(&e, &p[4]));
	assert_int_equal(select_digest(&five, &e, MONDAY, p, 5, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 4);
	assert_int_equal(chosen[0], 0);	/* sales, followed */
	assert_int_equal(chosen[1], 2);	/* hr, but engineering too */
	assert_int_equal(chosen[2], 3);
	assert_int_equal(chosen[3], 4);

	/* Muting every HR role leaves the posts for everyone. */
	e.roles = only_hr;
	e.nroles = 1;
	e.nfollows = 0;
	assert_int_equal(select_digest(&five, &e, MONDAY, p, 5, NULL, 0,
	    chosen, &n), SELECT_POSTS);
	assert_int_equal(n, 1);
	assert_int_equal(chosen[0], 3);
	/* A mute of a role HR does not give changes nothing. */
	e.mutes = follow_sales;
	assert_false(select_role_match(&e, &p[0]));
	assert_true(select_role_match(&e, &p[1]));
}

/*
 * The spreading rule over an audience of AUDIENCE employees: how many are
 * first offered the post on each day of its window.
 */
#define AUDIENCE	20000

static void
spread_histogram(const struct select_params *sp, const struct select_post *p,
    long from, long *hist, long ndays)
{
	struct select_employee e;
	long d, first;
	int64_t id;

	memset(hist, 0, (size_t)ndays * sizeof(*hist));
	for (id = 1; id <= AUDIENCE; id++) {
		e = employee(id * 7919);	/* ids need not be dense */
		first = select_first_day(sp, &e, p);
		d = first - from;
		assert_true(d >= 0 && d < ndays);
		hist[d]++;
	}
}

static void
test_spread_first_day_share(void **state)
{
	struct select_params sp = { 3, 5 };
	struct select_post p = post(42, 0);
	long hist[10], d, from = day_of(MONDAY), cum = 0;

	(void)state;
	p.available = MONDAY;
	spread_histogram(&sp, &p, from, hist, 10);
	/* About 1/N a day, never much more; nobody outside the window. */
	for (d = 0; d < 5; d++) {
		assert_true(hist[d] <= AUDIENCE / 5 * 105 / 100);
		assert_true(hist[d] >= AUDIENCE / 5 * 95 / 100);
		cum += hist[d];
	}
	assert_int_equal(cum, AUDIENCE);
	for (d = 5; d < 10; d++)
		assert_int_equal(hist[d], 0);
}

static void
test_spread_before_expiry(void **state)
{
	struct select_params sp = { 3, 7 };
	struct select_post p = post(43, 0);
	long hist[10], from = day_of(MONDAY);

	(void)state;
	/* A three-day post is spread over three days, not seven. */
	p.available = MONDAY;
	p.expires = "2026-11-25";
	spread_histogram(&sp, &p, from, hist, 10);
	assert_int_equal(hist[0] + hist[1] + hist[2], AUDIENCE);
	assert_true(hist[0] <= AUDIENCE / 3 * 105 / 100);
	assert_true(hist[2] >= AUDIENCE / 3 * 95 / 100);

	/* A post imported on its last day goes to everyone that day. */
	p.available = "2026-11-25";
	spread_histogram(&sp, &p, from, hist, 10);
	assert_int_equal(hist[2], AUDIENCE);

	/* The window opens on the later of starts and availability. */
	p.starts = "2026-11-01";
	p.expires = NULL;
	p.available = TUESDAY;
	spread_histogram(&sp, &p, from, hist, 10);
	assert_int_equal(hist[0], 0);
	assert_int_equal(hist[1] + hist[2] + hist[3] + hist[4] + hist[5] +
	    hist[6] + hist[7], AUDIENCE);
}

static void
test_spread_no_spreading(void **state)
{
	struct select_params sp = { 3, 1 };
	struct select_post p = post(44, 0);
	long hist[3];

	(void)state;
	p.available = MONDAY;
	spread_histogram(&sp, &p, day_of(MONDAY), hist, 3);
	assert_int_equal(hist[0], AUDIENCE);
	/* No date at all: offered at once. */
	p.available = NULL;
	assert_int_equal(select_first_day(&sp, &(struct select_employee){
	    .id = 1, .frequency = FREQ_DAILY, .active = 1, .roles = eng,
	    .nroles = 1 }, &p), 0);
}

static void
test_spread_deterministic(void **state)
{
	struct select_params sp = { 3, 5 };
	struct select_employee e = employee(123);
	struct select_post p[20];
	size_t a[3], b[3], na, nb, i;
	long d;

	(void)state;
	for (i = 0; i < 20; i++) {
		p[i] = post((int64_t)i + 1, (long)(i % 4));
		p[i].available = MONDAY;
	}
	for (d = 0; d < 6; d++) {
		char date[32];
		long day = day_of(MONDAY) + d;

		snprintf(date, sizeof(date), "2026-11-%02ld", 23 + d);
		assert_int_equal(day_of(date), day);
		select_digest(&sp, &e, date, p, 20, NULL, 0, a, &na);
		select_digest(&sp, &e, date, p, 20, NULL, 0, b, &nb);
		assert_int_equal(na, nb);
		for (i = 0; i < na; i++)
			assert_int_equal(a[i], b[i]);
	}
	/* Known values, so a change of hash is a visible change of rule. */
	assert_int_equal(select_offset(1, 1, 5), select_offset(1, 1, 5));
	for (i = 0; i < 1000; i++) {
		long o = select_offset((int64_t)i, 77, 5);

		assert_true(o >= 0 && o < 5);
	}
	assert_int_equal(select_offset(5, 6, 1), 0);
	assert_int_equal(select_offset(5, 6, 0), 0);
}

/* Fair across employees: over many posts, each employee is among the first
 * day's audience about 1/N of the time, and their average wait is about
 * (N - 1) / 2 days: nobody is always first or always last. */
static void
test_spread_fair(void **state)
{
	struct select_params sp = { 3, 5 };
	struct select_employee e;
	struct select_post p = post(0, 0);
	int64_t id, pid;
	long first_days, total, lo = 1000, hi = 0;

	(void)state;
	p.available = MONDAY;
	for (id = 1; id <= 1000; id++) {
		e = employee(id);
		first_days = total = 0;
		for (pid = 1; pid <= 1000; pid++) {
			long off;

			p.id = pid;
			off = select_first_day(&sp, &e, &p) -
			    day_of(MONDAY);
			first_days += off == 0;
			total += off;
		}
		/* Binomial(1000, 1/5): mean 200, sd 12.6; 6 sd either way. */
		assert_true(first_days > 200 - 76 && first_days < 200 + 76);
		/* Mean offset 2.0, sd of the mean about 0.045. */
		assert_true(total > 1700 && total < 2300);
		if (first_days < lo)
			lo = first_days;
		if (first_days > hi)
			hi = first_days;
	}
	assert_true(hi - lo < 150);
}

/* Weekly employees are not spread: they would miss short posts. */
static void
test_spread_weekly(void **state)
{
	struct select_params sp = { 3, 5 };
	struct select_employee e;
	struct select_post p = post(9, 0);
	size_t chosen[3], n;
	int64_t id;

	(void)state;
	p.available = MONDAY;
	p.expires = "2026-11-27";
	for (id = 1; id <= 1000; id++) {
		e = employee(id);
		e.frequency = FREQ_WEEKLY;
		assert_int_equal(select_digest(&sp, &e, MONDAY, &p, 1, NULL, 0,
		    chosen, &n), SELECT_POSTS);
	}
}

/* Weekdays employees are spread over the days of the window they are due:
 * a post from Thursday to Sunday reaches every one of them on Thursday or
 * Friday, about half on each; from Thursday to Monday, a third a day. */
static void
test_spread_weekdays(void **state)
{
	struct select_params sp = { 3, 5 };
	struct select_employee e;
	struct select_post p = post(9, 0);
	long thursday = day_of("2026-11-26"), first;
	int per[5] = { 0 }, i;
	int64_t id;

	(void)state;
	p.available = "2026-11-26";
	p.expires = "2026-11-29";
	for (id = 1; id <= 1000; id++) {
		e = employee(id);
		e.frequency = FREQ_WEEKDAYS;
		first = select_first_day(&sp, &e, &p);
		assert_true(first == thursday || first == thursday + 1);
		per[first - thursday]++;
	}
	assert_in_range(per[0], 400, 600);
	p.expires = "2026-11-30";
	memset(per, 0, sizeof(per));
	for (id = 1; id <= 1000; id++) {
		e = employee(id);
		e.frequency = FREQ_WEEKDAYS;
		first = select_first_day(&sp, &e, &p);
		assert_true(first == thursday || first == thursday + 1 ||
		    first == thursday + 4);
		per[first - thursday]++;
	}
	for (i = 0; i < 5; i++)
		if (i == 0 || i == 1 || i == 4)
			assert_in_range(per[i], 250, 420);
	/* Daily employees keep the plain offset over every day. */
	e = employee(5);
	assert_int_equal(select_first_day(&sp, &e, &p),
	    thursday + select_offset(5, 9, 5));
}

/*
 * The whole rule in motion: AUD daily employees, posts with windows, the
 * digests of each day in turn with max_posts; everybody is offered every
 * post before it expires when the digest has room, and no day offers a
 * post to much more than 1/N of its audience.
 */
static void
test_spread_simulation(void **state)
{
	enum { AUD = 2000, NP = 6, DAYS = 14 };
	static const char *const dates[DAYS] = {
		"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26",
		"2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30",
		"2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04",
		"2026-12-05", "2026-12-06",
	};
	static int64_t sugg[AUD + 1][NP];
	static size_t nsugg[AUD + 1];
	struct select_params sp = { 3, 4 };
	struct select_post p[NP];
	long per_day[DAYS][NP];
	size_t chosen[3], n, i, k;
	int64_t id;
	int d;

	(void)state;
	memset(per_day, 0, sizeof(per_day));
	memset(nsugg, 0, sizeof(nsugg));
	for (i = 0; i < NP; i++) {
		p[i] = post((int64_t)i + 1, (long)(i % 3));
		p[i].available = dates[i];	/* one new post a day */
		p[i].starts = dates[i];
		p[i].expires = dates[i + 5];		/* six days each */
	}
	for (d = 0; d < DAYS; d++) {
		for (id = 1; id <= AUD; id++) {
			struct select_employee e = employee(id);

			if (select_digest(&sp, &e, dates[d], p, NP, sugg[id],
			    nsugg[id], chosen, &n) != SELECT_POSTS)
				continue;
			for (k = 0; k < n; k++) {
				int64_t pid = p[chosen[k]].id;
				size_t j = nsugg[id]++;

				/* Keep the suggested list sorted. */
				while (j > 0 && sugg[id][j - 1] > pid) {
					sugg[id][j] = sugg[id][j - 1];
					j--;
				}
				sugg[id][j] = pid;
				per_day[d][chosen[k]]++;
			}
		}
	}
	for (i = 0; i < NP; i++) {
		long total = 0;

		for (d = 0; d < DAYS; d++) {
			total += per_day[d][i];
			/* Never past expiry, never much over 1/N a day. */
			if (d > (int)i + 5)
				assert_int_equal(per_day[d][i], 0);
			assert_true(per_day[d][i] <= AUD / 4 * 110 / 100);
		}
		/* Everyone got every post: there was room. */
		assert_int_equal(total, AUD);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_priority_and_max),
		cmocka_unit_test(test_already_suggested),
		cmocka_unit_test(test_declined),
		cmocka_unit_test(test_frequency),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_follows_mutes),
		cmocka_unit_test(test_spread_first_day_share),
		cmocka_unit_test(test_spread_before_expiry),
		cmocka_unit_test(test_spread_no_spreading),
		cmocka_unit_test(test_spread_deterministic),
		cmocka_unit_test(test_spread_fair),
		cmocka_unit_test(test_spread_weekly),
		cmocka_unit_test(test_spread_weekdays),
		cmocka_unit_test(test_spread_simulation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
