/*
 * day: day numbers after Howard Hinnant's civil-date algorithms (exact
 * over the whole proleptic Gregorian calendar, no tables), dates, weekdays,
 * the local date in a zone, and the frequency table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/day.h"
#include "common/validate.h"

long
day_from_civil(int y, int m, int d)
{
	long yy = (long)y - (m <= 2), era, yoe, doy, doe;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
day_to_civil(long day, int *y, int *m, int *d)
{
	long z = day + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
day_parse(const char *s, long *day, const char **why)
{
	const char *dummy;
	int y, m, d;

	if (why == NULL)
		why = &dummy;
	if (s == NULL) {
		*why = "not a date YYYY-MM-DD";
		return -1;
	}
	if (validate_date(s, &y, &m, &d, why) == -1)
		return -1;
	*day = day_from_civil(y, m, d);
	return 0;
}

void
day_format(long day, char *buf)
{
	int y, m, d;

	/* By hand: the reports format a date per row. */
	day_to_civil(day, &y, &m, &d);
	y %= 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int
day_date_add(char *date, int days)
{
	long day;

	if (day_parse(date, &day, NULL) == -1)
		return -1;
	day_format(day + days, date);
	return 0;
}

const char *
day_weekday_name(enum day_weekday wd)
{
	static const char *const names[7] = { "Sunday", "Monday", "Tuesday",
	    "Wednesday", "Thursday", "Friday", "Saturday" };

	return names[(unsigned)wd % 7];
}

enum day_weekday
day_weekday(long day)
{
	/* 1970-01-01 was a Thursday. */
	long r = (day + DAY_THURSDAY) % 7;

	return (enum day_weekday)(r < 0 ? r + 7 : r);
}

long
day_of_time(time_t t)
{
	long long s = (long long)t;

	return (long)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

static char cur_tz[80];
static int cur_set;

void
day_use_zone(const char *tz)
{
	if (tz == NULL || *tz == '\0')
		tz = "UTC";
	if (cur_set && strcmp(cur_tz, tz) == 0)
		return;
	snprintf(cur_tz, sizeof(cur_tz), "%s", tz);
	setenv("TZ", cur_tz, 1);
	tzset();
	cur_set = 1;
}

int
day_local_date(const char *tz, time_t t, char *out)
{
	struct tm tm;

	day_use_zone(tz);
	if (localtime_r(&t, &tm) == NULL)
		return -1;
	day_format(day_from_civil(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday), out);
	return 0;
}

static const struct {
	const char	*name;
	const char	*label;
	unsigned	 days;		/* DAY_BIT()s of its weekdays */
} frequencies[FREQ_COUNT] = {
#define FREQUENCY_ROW(e, name, label, days)	[e] = { name, label, days },
	FREQUENCY_TABLE(FREQUENCY_ROW)
#undef FREQUENCY_ROW
};

int
frequency_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < FREQ_COUNT; i++)
		if (strcmp(s, frequencies[i].name) == 0)
			return i;
	return -1;
}

const char *
frequency_name(enum frequency f)
{
	return frequencies[f].name;
}

const char *
frequency_label(enum frequency f)
{
	return frequencies[f].label;
}

int
frequency_sends_on(enum frequency f, long day)
{
	return (frequencies[f].days & DAY_BIT(day_weekday(day))) != 0;
}
