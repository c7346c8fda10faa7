/* Unit tests for common/day.c: day numbers, dates, weekdays, the local
 * date in a zone (across DST changes and the date line) and the frequency
 * table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "common/day.h"

#define MONDAY_DAY	20780L		/* 2026-11-23 */

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

static long
parsed(const char *s)
{
	long day = 12345;

	if (day_parse(s, &day, NULL) == -1)
		return -999999;
	return day;
}

static void
test_known_days(void **state)
{
	(void)state;
	assert_int_equal(day_from_civil(1970, 1, 1), 0);
	assert_int_equal(day_from_civil(1969, 12, 31), -1);
	assert_int_equal(day_from_civil(1972, 3, 1), 790);
	assert_int_equal(day_from_civil(2000, 2, 29), 11016);
	assert_int_equal(day_from_civil(2026, 11, 23), MONDAY_DAY);
	assert_int_equal(day_from_civil(2100, 3, 1), 47541);
	assert_int_equal(day_from_civil(2400, 12, 31), 157419);
	assert_int_equal(day_from_civil(1600, 1, 1), -135140);
	assert_int_equal(day_from_civil(0, 3, 1), -719468);
	assert_int_equal(parsed("1970-01-01"), 0);
	assert_int_equal(parsed("2026-11-23"), MONDAY_DAY);
	assert_int_equal(parsed("9999-12-31"), 2932896);
}

static void
test_leap_years(void **state)
{
	(void)state;
	/* Divisible by 4: leap; by 100: not; by 400: leap again. */
	assert_int_equal(day_from_civil(2024, 3, 1) -
	    day_from_civil(2024, 2, 28), 2);
	assert_int_equal(day_from_civil(2000, 3, 1) -
	    day_from_civil(2000, 2, 28), 2);
	assert_int_equal(day_from_civil(1900, 3, 1) -
	    day_from_civil(1900, 2, 28), 1);
	assert_int_equal(day_from_civil(2100, 3, 1) -
	    day_from_civil(2100, 2, 28), 1);
	assert_int_equal(day_from_civil(2001, 1, 1) -
	    day_from_civil(2000, 1, 1), 366);
	assert_int_equal(day_from_civil(2101, 1, 1) -
	    day_from_civil(2100, 1, 1), 365);
	assert_int_equal(parsed("2000-02-29"), 11016);
	assert_int_equal(parsed("2024-02-29"), 19782);
	assert_int_equal(parsed("2100-02-29"), -999999);
	assert_int_equal(parsed("2023-02-29"), -999999);
}

static void
test_parse_rejects(void **state)
{
	const char *why = NULL;
	long day;

	(void)state;
	assert_int_equal(parsed("2026-13-01"), -999999);
	assert_int_equal(parsed("2026-00-01"), -999999);
	assert_int_equal(parsed("2026-04-31"), -999999);
	assert_int_equal(parsed("2026-04-00"), -999999);
	assert_int_equal(parsed("1969-12-31"), -999999);
	assert_int_equal(parsed("2026-1-01"), -999999);
	assert_int_equal(parsed("2026-01-0a"), -999999);
	assert_int_equal(parsed("2026- 1- 2"), -999999);
	assert_int_equal(parsed("2026-+1-02"), -999999);
	assert_int_equal(parsed("2026-01-01 "), -999999);
	assert_int_equal(parsed(""), -999999);
	assert_int_equal(parsed(NULL), -999999);
	assert_int_equal(day_parse("2026-02-30", &day, &why), -1);
	assert_string_equal(why, "no such date");
	assert_int_equal(day_parse("1969-12-31", &day, &why), -1);
	assert_string_equal(why, "before 1970-01-01");
	assert_int_equal(day_parse("garbage!!!", &day, &why), -1);
	assert_string_equal(why, "not a date YYYY-MM-DD");
}

/* Against the C library's calendar, day by day, from year 0 to 9999. */
static void
test_round_trip(void **state)
{
	long day, first = day_from_civil(0, 3, 1);
	long last = day_from_civil(9999, 12, 31);
	char buf[DAY_DATE_LEN], want[32];
	struct tm tm;
	time_t t;
	int y, m, d;

	(void)state;
	for (day = first; day <= last; day++) {
		t = (time_t)day * 86400;
		assert_non_null(gmtime_r(&t, &tm));
		day_to_civil(day, &y, &m, &d);
		if (y != tm.tm_year + 1900 || m != tm.tm_mon + 1 ||
		    d != tm.tm_mday || (int)day_weekday(day) != tm.tm_wday)
			fail_msg("day %ld: %d-%d-%d", day, y, m, d);
		if (day_from_civil(y, m, d) != day)
			fail_msg("day %ld: back %ld", day,
			    day_from_civil(y, m, d));
		day_format(day, buf);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		if (strcmp(buf, want) != 0)
			fail_msg("day %ld: '%s', not '%s'", day, buf, want);
		if (y >= 1970 && parsed(buf) != day)
			fail_msg("day %ld: '%s' parses back wrong", day, buf);
	}
}

static void
test_format(void **state)
{
	char buf[DAY_DATE_LEN];

	(void)state;
	day_format(0, buf);
	assert_string_equal(buf, "1970-01-01");
	day_format(-1, buf);
	assert_string_equal(buf, "1969-12-31");
	day_format(-365, buf);
	assert_string_equal(buf, "1969-01-01");
	day_format(MONDAY_DAY, buf);
	assert_string_equal(buf, "2026-11-23");
	day_format(2932896, buf);
	assert_string_equal(buf, "9999-12-31");
}

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(day_weekday(0), DAY_THURSDAY);
	assert_int_equal(day_weekday(-1), DAY_WEDNESDAY);
	assert_int_equal(day_weekday(-4), DAY_SUNDAY);
	assert_int_equal(day_weekday(-7), DAY_THURSDAY);
	assert_int_equal(day_weekday(-719468), DAY_WEDNESDAY); /* 0000-03-01 */
	assert_int_equal(day_weekday(MONDAY_DAY), DAY_MONDAY);
	assert_int_equal(day_weekday(MONDAY_DAY + 6), DAY_SUNDAY);
	assert_int_equal(day_weekday(parsed("2000-01-01")), DAY_SATURDAY);
	assert_int_equal(day_weekday(parsed("2400-12-31")), DAY_SUNDAY);
}

static void
test_day_of_time(void **state)
{
	(void)state;
	assert_int_equal(day_of_time(0), 0);
	assert_int_equal(day_of_time(86399), 0);
	assert_int_equal(day_of_time(86400), 1);
	assert_int_equal(day_of_time(-1), -1);
	assert_int_equal(day_of_time(-86400), -1);
	assert_int_equal(day_of_time(-86401), -2);
	assert_int_equal(day_of_time(utc(2026, 11, 23, 23, 59, 59)),
	    MONDAY_DAY);
}

static void
check_local(const char *tz, time_t t, const char *want)
{
	char date[DAY_DATE_LEN];

	assert_int_equal(day_local_date(tz, t, date), 0);
	if (strcmp(date, want) != 0)
		fail_msg("%s at %lld: '%s', not '%s'", tz, (long long)t, date,
		    want);
}

static void
test_local_date(void **state)
{
	char date[DAY_DATE_LEN];
	time_t t = utc(2026, 11, 23, 23, 30, 0);

	(void)state;
	assert_int_equal(day_local_date("UTC", t, date), 0);
	assert_string_equal(date, "2026-11-23");
	assert_int_equal(day_local_date("", t, date), 0);
	assert_string_equal(date, "2026-11-23");
	assert_int_equal(day_local_date("Europe/Berlin", t, date), 0);
	assert_string_equal(date, "2026-11-24");
	assert_int_equal(day_local_date("America/Los_Angeles", t, date),
	    0);
	assert_string_equal(date, "2026-11-23");
	/* +14:00: already the day after the day after in some sense. */
	assert_int_equal(day_local_date("Pacific/Kiritimati",
	    utc(2026, 11, 23, 10, 0, 0), date), 0);
	assert_string_equal(date, "2026-11-24");
	assert_int_equal(day_local_date("Asia/Kolkata",
	    utc(2026, 11, 23, 18, 29, 0), date), 0);
	assert_string_equal(date, "2026-11-23");
	assert_int_equal(day_local_date("Asia/Kolkata",
	    utc(2026, 11, 23, 18, 30, 0), date), 0);
	assert_string_equal(date, "2026-11-24");
}

/* The local midnight moves with the offset on the days of a DST change. */
static void
test_local_date_dst(void **state)
{
	(void)state;
	/* Berlin springs forward on 2026-03-29, falls back on 2026-10-25. */
	check_local("Europe/Berlin", utc(2026, 3, 28, 22, 59, 59),
	    "2026-03-28");
	check_local("Europe/Berlin", utc(2026, 3, 28, 23, 0, 0), "2026-03-29");
	check_local("Europe/Berlin", utc(2026, 3, 29, 21, 59, 59),
	    "2026-03-29");
	check_local("Europe/Berlin", utc(2026, 3, 29, 22, 0, 0), "2026-03-30");
	check_local("Europe/Berlin", utc(2026, 10, 24, 21, 59, 59),
	    "2026-10-24");
	check_local("Europe/Berlin", utc(2026, 10, 24, 22, 0, 0), "2026-10-25");
	check_local("Europe/Berlin", utc(2026, 10, 25, 22, 59, 59),
	    "2026-10-25");
	check_local("Europe/Berlin", utc(2026, 10, 25, 23, 0, 0), "2026-10-26");
	/* New York: 2026-03-08 and 2026-11-01. */
	check_local("America/New_York", utc(2026, 3, 8, 4, 59, 59),
	    "2026-03-07");
	check_local("America/New_York", utc(2026, 3, 8, 5, 0, 0), "2026-03-08");
	check_local("America/New_York", utc(2026, 3, 9, 3, 59, 59),
	    "2026-03-08");
	check_local("America/New_York", utc(2026, 3, 9, 4, 0, 0), "2026-03-09");
	check_local("America/New_York", utc(2026, 11, 1, 3, 59, 59),
	    "2026-10-31");
	check_local("America/New_York", utc(2026, 11, 1, 4, 0, 0),
	    "2026-11-01");
	check_local("America/New_York", utc(2026, 11, 2, 4, 59, 59),
	    "2026-11-01");
	check_local("America/New_York", utc(2026, 11, 2, 5, 0, 0),
	    "2026-11-02");
}

/* Either side of the date line, and Samoa crossing it. */
static void
test_local_date_line(void **state)
{
	time_t t = utc(2026, 11, 23, 10, 30, 0);

	(void)state;
	check_local("Pacific/Kiritimati", t, "2026-11-24");	/* +14 */
	check_local("Pacific/Pago_Pago", t, "2026-11-22");	/* -11 */
	check_local("UTC", t, "2026-11-23");
	/* Samoa moved west of the line: 2011-12-30 never happened there. */
	check_local("Pacific/Apia", utc(2011, 12, 30, 9, 59, 59),
	    "2011-12-29");
	check_local("Pacific/Apia", utc(2011, 12, 30, 10, 0, 0),
	    "2011-12-31");
	/* Back and forth between zones: each answer is its own zone's. */
	check_local("Pacific/Kiritimati", t, "2026-11-24");
	check_local("Pacific/Pago_Pago", t, "2026-11-22");
}

static void
test_date_add(void **state)
{
	char d[DAY_DATE_LEN];

	(void)state;
	strcpy(d, "2026-12-31");
	assert_int_equal(day_date_add(d, 1), 0);
	assert_string_equal(d, "2027-01-01");
	strcpy(d, "2028-03-01");
	assert_int_equal(day_date_add(d, -1), 0);
	assert_string_equal(d, "2028-02-29");
	strcpy(d, "1970-01-01");
	assert_int_equal(day_date_add(d, -1), 0);
	assert_string_equal(d, "1969-12-31");
	strcpy(d, "2026-11-23");
	assert_int_equal(day_date_add(d, 400), 0);
	assert_string_equal(d, "2027-12-28");
	strcpy(d, "garbage!!!");
	assert_int_equal(day_date_add(d, 1), -1);
	/* digits only: blanks and signs are not a month or a day */
	strcpy(d, "2026- 1- 2");
	assert_int_equal(day_date_add(d, 1), -1);
	strcpy(d, "2026-+1-02");
	assert_int_equal(day_date_add(d, 1), -1);
}

static void
test_frequency(void **state)
{
	int f, wd;

	(void)state;
	for (f = 0; f < FREQ_COUNT; f++) {
		assert_non_null(frequency_name((enum frequency)f));
		assert_non_null(frequency_label((enum frequency)f));
		assert_int_equal(frequency_parse(
		    frequency_name((enum frequency)f)), f);
	}
	assert_int_equal(frequency_parse("daily"), FREQ_DAILY);
	assert_int_equal(frequency_parse("weekly"), FREQ_WEEKLY);
	assert_int_equal(frequency_parse("paused"), FREQ_PAUSED);
	assert_int_equal(frequency_parse("hourly"), -1);
	assert_int_equal(frequency_parse("Weekly"), -1);
	assert_int_equal(frequency_parse(""), -1);
	assert_int_equal(frequency_parse(NULL), -1);
	assert_string_equal(frequency_label(FREQ_WEEKLY), "Weekly (Mondays)");
	/* MONDAY_DAY + wd is weekday (1 + wd) % 7. */
	for (wd = 0; wd < 7; wd++) {
		long day = MONDAY_DAY + wd;

		assert_int_equal(frequency_sends_on(FREQ_DAILY, day), 1);
		assert_int_equal(frequency_sends_on(FREQ_WEEKLY, day), wd == 0);
		assert_int_equal(frequency_sends_on(FREQ_PAUSED, day), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_day_of_time),
		cmocka_unit_test(test_local_date),
		cmocka_unit_test(test_local_date_dst),
		cmocka_unit_test(test_local_date_line),
		cmocka_unit_test(test_date_add),
		cmocka_unit_test(test_frequency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
