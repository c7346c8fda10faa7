/* Unit tests for digest/schedule.c: zones, DST gaps and overlaps, weekly
 * Mondays, catch-up and the next wake-up, all with fixed instants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "digest/schedule.h"

/* A UTC instant from its calendar fields. */
static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

static void
test_send_instant_plain(void **state)
{
	(void)state;
	assert_true(schedule_send_instant("UTC", "2026-11-23", 8 * 60) ==
	    utc(2026, 11, 23, 8, 0, 0));
	assert_true(schedule_send_instant("Europe/Berlin", "2026-11-23",
	    8 * 60) == utc(2026, 11, 23, 7, 0, 0));
	assert_true(schedule_send_instant("Europe/Berlin", "2026-07-01",
	    8 * 60) == utc(2026, 7, 1, 6, 0, 0));
	assert_true(schedule_send_instant("Asia/Kolkata", "2026-11-23",
	    9 * 60 + 15) == utc(2026, 11, 23, 3, 45, 0));
	assert_true(schedule_send_instant("UTC", "2026-02-30", 0) ==
	    (time_t)-1);
	assert_true(schedule_send_instant("UTC", "nope", 0) == (time_t)-1);
	assert_true(schedule_send_instant("UTC", "2026-11-23", 24 * 60) ==
	    (time_t)-1);
}

/* 02:30 does not exist in Berlin on 2026-03-29: it sends at the end of
 * the gap (03:00 CEST = 01:00 UTC), once. */
static void
test_spring_forward_gap(void **state)
{
	char date[DAY_DATE_LEN];
	time_t at;

	(void)state;
	at = schedule_send_instant("Europe/Berlin", "2026-03-29", 2 * 60 + 30);
	assert_true(at == utc(2026, 3, 29, 1, 0, 0));
	assert_int_equal(schedule_due("Europe/Berlin", 2 * 60 + 30,
	    FREQ_DAILY, at - 1, date), 0);
	assert_int_equal(schedule_due("Europe/Berlin", 2 * 60 + 30,
	    FREQ_DAILY, at, date), 1);
	assert_string_equal(date, "2026-03-29");
	/* New York, 02:00 exactly is inside the gap too. */
	at = schedule_send_instant("America/New_York", "2026-03-08", 2 * 60);
	assert_true(at == utc(2026, 3, 8, 7, 0, 0));
	/* 03:00 is the first valid minute: the same instant. */
	assert_true(schedule_send_instant("America/New_York", "2026-03-08",
	    3 * 60) == at);
	/* 01:59 is before the gap. */
	assert_true(schedule_send_instant("America/New_York", "2026-03-08",
	    60 + 59) == utc(2026, 3, 8, 6, 59, 0));
}

/* 02:30 happens twice in Berlin on 2026-10-25: the first one counts and
 * the date stays the same through the repeated hour. */
static void
test_fall_back_overlap(void **state)
{
	char d1[DAY_DATE_LEN], d2[DAY_DATE_LEN];
	time_t at;

	(void)state;
	at = schedule_send_instant("Europe/Berlin", "2026-10-25", 2 * 60 + 30);
	assert_true(at == utc(2026, 10, 25, 0, 30, 0));
	assert_int_equal(schedule_due("Europe/Berlin", 2 * 60 + 30,
	    FREQ_DAILY, at, d1), 1);
	/* One hour later the wall clock reads 02:30 again. */
	assert_int_equal(schedule_due("Europe/Berlin", 2 * 60 + 30,
	    FREQ_DAILY, at + 3600, d2), 1);
	assert_string_equal(d1, d2);
	/* The next send instant after the second 02:30 is the next day. */
	assert_true(schedule_next("Europe/Berlin", 2 * 60 + 30,
	    FREQ_DAILY, at + 3600) == utc(2026, 10, 26, 1, 30, 0));
	/* New York: 01:30 on 2026-11-01 is first EDT (05:30 UTC). */
	assert_true(schedule_send_instant("America/New_York", "2026-11-01",
	    90) == utc(2026, 11, 1, 5, 30, 0));
}

static void
test_weekly_mondays(void **state)
{
	char date[DAY_DATE_LEN];

	(void)state;
	assert_int_equal(schedule_sends_on(FREQ_WEEKLY, "2026-11-23"), 1);
	assert_int_equal(schedule_sends_on(FREQ_WEEKLY, "2026-11-24"), 0);
	assert_int_equal(schedule_sends_on(FREQ_WEEKLY, "2026-11-22"), 0);
	assert_int_equal(schedule_sends_on(FREQ_DAILY, "2026-11-22"), 1);
	assert_int_equal(schedule_sends_on(FREQ_PAUSED, "2026-11-23"), 0);
	/* Sunday 23:30 UTC is Monday in Berlin: due on Monday's date. */
	assert_int_equal(schedule_due("Europe/Berlin", 0, FREQ_WEEKLY,
	    utc(2026, 11, 22, 23, 30, 0), date), 1);
	assert_string_equal(date, "2026-11-23");
	assert_int_equal(schedule_due("UTC", 0, FREQ_WEEKLY,
	    utc(2026, 11, 22, 23, 30, 0), date), 0);
	/* From Tuesday, the next weekly send is next Monday. */
	assert_true(schedule_next("UTC", 8 * 60, FREQ_WEEKLY,
	    utc(2026, 11, 24, 9, 0, 0)) == utc(2026, 11, 30, 8, 0, 0));
	assert_true(schedule_next("UTC", 8 * 60, FREQ_PAUSED,
	    utc(2026, 11, 24, 9, 0, 0)) == (time_t)-1);
}

/* weekdays: Monday to Friday in the employee's zone. */
static void
test_weekdays(void **state)
{
	char date[DAY_DATE_LEN];
	int d;

	(void)state;
	assert_int_equal(frequency_parse("weekdays"), FREQ_WEEKDAYS);
	assert_int_equal(frequency_parse("Weekdays"), -1);
	/* 2026-11-23 is a Monday. */
	for (d = 23; d <= 27; d++) {
		snprintf(date, sizeof(date), "2026-11-%02u",
		    (unsigned)d % 100u);
		assert_int_equal(schedule_sends_on(FREQ_WEEKDAYS, date), 1);
	}
	assert_int_equal(schedule_sends_on(FREQ_WEEKDAYS, "2026-11-28"),
	    0);
	assert_int_equal(schedule_sends_on(FREQ_WEEKDAYS, "2026-11-29"),
	    0);
	/* Friday 23:30 UTC is Saturday in Tokyo: not due there. */
	assert_int_equal(schedule_due("Asia/Tokyo", 8 * 60, FREQ_WEEKDAYS,
	    utc(2026, 11, 27, 23, 30, 0), date), 0);
	assert_string_equal(date, "2026-11-28");
	assert_int_equal(schedule_due("UTC", 8 * 60, FREQ_WEEKDAYS,
	    utc(2026, 11, 27, 9, 0, 0), date), 1);
	/* From Friday after the send, the next one is Monday's. */
	assert_true(schedule_next("UTC", 8 * 60, FREQ_WEEKDAYS,
	    utc(2026, 11, 27, 9, 0, 0)) == utc(2026, 11, 30, 8, 0, 0));
	assert_true(schedule_next("Europe/Berlin", 8 * 60, FREQ_WEEKDAYS,
	    utc(2026, 11, 28, 12, 0, 0)) == utc(2026, 11, 30, 7, 0, 0));
}

/* Downtime: a send missed in the morning is still due in the evening of
 * the same local date, and not after midnight. */
static void
test_catch_up(void **state)
{
	char date[DAY_DATE_LEN];

	(void)state;
	assert_int_equal(schedule_due("Europe/Berlin", 8 * 60, FREQ_DAILY,
	    utc(2026, 11, 23, 6, 59, 59), date), 0);
	assert_int_equal(schedule_due("Europe/Berlin", 8 * 60, FREQ_DAILY,
	    utc(2026, 11, 23, 7, 0, 0), date), 1);
	assert_int_equal(schedule_due("Europe/Berlin", 8 * 60, FREQ_DAILY,
	    utc(2026, 11, 23, 22, 59, 0), date), 1);
	assert_string_equal(date, "2026-11-23");
	/* 00:30 local the next day: that day's 08:00 has not come. */
	assert_int_equal(schedule_due("Europe/Berlin", 8 * 60, FREQ_DAILY,
	    utc(2026, 11, 23, 23, 30, 0), date), 0);
	assert_string_equal(date, "2026-11-24");
}

static void
test_next(void **state)
{
	(void)state;
	/* Before today's send time: today; at it or after: tomorrow. */
	assert_true(schedule_next("Europe/Berlin", 8 * 60, FREQ_DAILY,
	    utc(2026, 11, 23, 5, 0, 0)) == utc(2026, 11, 23, 7, 0, 0));
	assert_true(schedule_next("Europe/Berlin", 8 * 60, FREQ_DAILY,
	    utc(2026, 11, 23, 7, 0, 0)) == utc(2026, 11, 24, 7, 0, 0));
	/* Across the spring-forward night. */
	assert_true(schedule_next("Europe/Berlin", 8 * 60, FREQ_DAILY,
	    utc(2026, 3, 28, 8, 0, 0)) == utc(2026, 3, 29, 6, 0, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send_instant_plain),
		cmocka_unit_test(test_spring_forward_gap),
		cmocka_unit_test(test_fall_back_overlap),
		cmocka_unit_test(test_weekly_mondays),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_catch_up),
		cmocka_unit_test(test_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
