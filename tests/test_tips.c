/*
 * Tests of digest/tips.c on made-up histories: thin data gives no tip, a
 * clear winner gives one, ties give none, and each threshold is tried on
 * both sides of its boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "digest/tips.h"

#define MON	1
#define TUE	2
#define WED	3
#define THU	4

static struct tips_history h;

static int
reset(void **state)
{
	(void)state;
	memset(&h, 0, sizeof(h));
	return 0;
}

/* shares and people of one network on one weekday. */
static void
put(enum network n, int wd, long long shares, long long people)
{
	h.shares[n][wd] = shares;
	h.people[n][wd] = people;
}

static enum tip_kind
kind(void)
{
	struct tip t;

	tips_compute(&h, &t);
	return t.kind;
}

static void
test_empty(void **state)
{
	(void)state;
	assert_int_equal(kind(), TIP_NONE);
}

static void
test_one_network(void **state)
{
	(void)state;
	/* Plenty of data, but one network only and one weekday: nothing to
	 * compare. */
	put(NET_LINKEDIN, MON, 40, 200);
	assert_int_equal(kind(), TIP_NONE);
}

static void
test_network_winner(void **state)
{
	struct tip t;

	(void)state;
	/* LinkedIn 30 people from 10 shares (3.0), X 10 from 10 (1.0),
	 * Facebook too few shares to judge (but a great rate). */
	put(NET_LINKEDIN, MON, 6, 18);
	put(NET_LINKEDIN, TUE, 4, 12);
	put(NET_X, MON, 10, 10);
	put(NET_FACEBOOK, WED, 4, 40);
	tips_compute(&h, &t);
	assert_int_equal(t.kind, TIP_NETWORK);
	assert_int_equal(t.network, NET_LINKEDIN);
	assert_int_equal(t.other, NET_X);
	assert_int_equal(t.tenths, 30);
	assert_int_equal(t.other_tenths, 10);
}

static void
test_network_min_shares(void **state)
{
	(void)state;
	/* X at TIPS_NET_MIN_SHARES: compared, LinkedIn wins. */
	put(NET_LINKEDIN, MON, 5, 20);
	put(NET_X, MON, TIPS_NET_MIN_SHARES, 5);
	assert_int_equal(kind(), TIP_NETWORK);
	/* One share short: only one network to judge. */
	put(NET_X, MON, TIPS_NET_MIN_SHARES - 1, 4);
	assert_int_equal(kind(), TIP_NONE);
}

static void
test_network_ratio(void **state)
{
	struct tip t;

	(void)state;
	/* Exactly 1.5 times as many people per share: a tip. */
	put(NET_LINKEDIN, MON, 10, 15);
	put(NET_X, MON, 10, 10);
	tips_compute(&h, &t);
	assert_int_equal(t.kind, TIP_NETWORK);
	assert_int_equal(t.network, NET_LINKEDIN);
	/* Just under (14 against 10 per 10 shares): none. */
	put(NET_LINKEDIN, MON, 10, 14);
	assert_int_equal(kind(), TIP_NONE);
}

static void
test_network_tie(void **state)
{
	(void)state;
	put(NET_LINKEDIN, MON, 10, 20);
	put(NET_X, TUE, 10, 20);
	put(NET_FACEBOOK, WED, 5, 2);
	assert_int_equal(kind(), TIP_NONE);
	/* Equal rates from different counts are a tie too. */
	put(NET_X, TUE, 20, 40);
	assert_int_equal(kind(), TIP_NONE);
}

static void
test_network_min_people(void **state)
{
	(void)state;
	/* 4 people against none: too few people to tell. */
	put(NET_LINKEDIN, MON, 5, TIPS_MIN_PEOPLE - 1);
	put(NET_X, MON, 5, 0);
	assert_int_equal(kind(), TIP_NONE);
	put(NET_LINKEDIN, MON, 5, TIPS_MIN_PEOPLE);
	assert_int_equal(kind(), TIP_NETWORK);
}

static void
test_weekday_winner(void **state)
{
	struct tip t;

	(void)state;
	/* One network: no network tip; Tuesday 4.0 per share against 1.0
	 * on Monday and Wednesday. */
	put(NET_LINKEDIN, MON, 4, 4);
	put(NET_LINKEDIN, TUE, 4, 16);
	put(NET_LINKEDIN, WED, 4, 4);
	tips_compute(&h, &t);
	assert_int_equal(t.kind, TIP_WEEKDAY);
	assert_int_equal(t.weekday, TUE);
	assert_int_equal(t.tenths, 40);
	assert_int_equal(t.other_tenths, 10);
}

static void
test_weekday_spread(void **state)
{
	(void)state;
	/* Two weekdays only: not spread enough. */
	put(NET_LINKEDIN, MON, 6, 6);
	put(NET_LINKEDIN, TUE, 6, 30);
	assert_int_equal(kind(), TIP_NONE);
	/* A third weekday with TIPS_DAY_MIN_EACH shares: a tip. */
	put(NET_LINKEDIN, WED, TIPS_DAY_MIN_EACH, 3);
	assert_int_equal(kind(), TIP_WEEKDAY);
	/* One share short on that day: two weekdays again. */
	put(NET_LINKEDIN, WED, TIPS_DAY_MIN_EACH - 1, 2);
	assert_int_equal(kind(), TIP_NONE);
}

static void
test_weekday_total(void **state)
{
	(void)state;
	/* Three weekdays of 3 shares: 9 < TIPS_DAY_MIN_SHARES. */
	put(NET_X, MON, 3, 3);
	put(NET_X, TUE, 3, 15);
	put(NET_X, WED, 3, 3);
	assert_int_equal(kind(), TIP_NONE);
	/* One more share, on a day too thin to compare, reaches 10. */
	put(NET_X, THU, 1, 0);
	assert_int_equal(kind(), TIP_WEEKDAY);
}

static void
test_weekday_tie(void **state)
{
	(void)state;
	put(NET_X, MON, 4, 12);
	put(NET_X, TUE, 4, 12);
	put(NET_X, WED, 4, 4);
	assert_int_equal(kind(), TIP_NONE);
}

static void
test_network_first(void **state)
{
	struct tip t;

	(void)state;
	/* Both tips would hold: the network tip is the one offered. */
	put(NET_LINKEDIN, MON, 5, 5);
	put(NET_LINKEDIN, TUE, 5, 50);
	put(NET_LINKEDIN, WED, 5, 5);
	put(NET_X, MON, 5, 5);
	tips_compute(&h, &t);
	assert_int_equal(t.kind, TIP_NETWORK);
	assert_int_equal(t.network, NET_LINKEDIN);
	/* A network tie falls back to the weekday. */
	put(NET_X, MON, 15, 60);
	tips_compute(&h, &t);
	assert_int_equal(t.kind, TIP_WEEKDAY);
	assert_int_equal(t.weekday, TUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty, reset),
		cmocka_unit_test_setup(test_one_network, reset),
		cmocka_unit_test_setup(test_network_winner, reset),
		cmocka_unit_test_setup(test_network_min_shares, reset),
		cmocka_unit_test_setup(test_network_ratio, reset),
		cmocka_unit_test_setup(test_network_tie, reset),
		cmocka_unit_test_setup(test_network_min_people, reset),
		cmocka_unit_test_setup(test_weekday_winner, reset),
		cmocka_unit_test_setup(test_weekday_spread, reset),
		cmocka_unit_test_setup(test_weekday_total, reset),
		cmocka_unit_test_setup(test_weekday_tie, reset),
		cmocka_unit_test_setup(test_network_first, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
