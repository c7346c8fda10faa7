/*
 * schedule: local dates and send instants per IANA zone. The C library
 * holds one zone at a time (TZ + tzset), so the last zone is cached and
 * only a change of zone reloads it; callers that walk many employees keep
 * their own per-zone cache of the answers (digest/run.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/validate.h"
#include "digest/schedule.h"

static char cur_tz[80];
static int cur_set;

static void
schedule_use(const char *tz)
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
schedule_freq_parse(const char *s)
{
	static const char *names[] = {
		[SCHEDULE_DAILY] = "daily",
		[SCHEDULE_WEEKDAYS] = "weekdays",
		[SCHEDULE_WEEKLY] = "weekly",
		[SCHEDULE_PAUSED] = "paused",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (s != NULL && strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static int
parse_date(const char *s, struct tm *tm)
{
	struct tm back;
	time_t t;
	const char *why;
	int y, m, d;

	/* Not sscanf: "%2d" would take " 1" or "+1" as a month. */
	if (s == NULL || validate_date(s, &y, &m, &d, &why) == -1)
		return -1;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = 12;
	/* Reject 02-30 and the like: the calendar must give it back. */
	t = timegm(tm);
	if (t == (time_t)-1 || gmtime_r(&t, &back) == NULL ||
	    back.tm_mday != d || back.tm_mon != m - 1)
		return -1;
	tm->tm_hour = 0;
	return 0;
}

static void
format_date(const struct tm *tm, char *out)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", tm->tm_year + 1900,
	    tm->tm_mon + 1, tm->tm_mday);
	memcpy(out, tmp, SCHEDULE_DATE_LEN - 1);
	out[SCHEDULE_DATE_LEN - 1] = '\0';
}

int
schedule_local_date(const char *tz, time_t t, char *out)
{
	struct tm tm;

	schedule_use(tz);
	if (localtime_r(&t, &tm) == NULL)
		return -1;
	format_date(&tm, out);
	return 0;
}

int
schedule_date_add(char *date, int days)
{
	struct tm tm;
	time_t t;

	if (parse_date(date, &tm) == -1)
		return -1;
	tm.tm_hour = 12;
	tm.tm_mday += days;
	if ((t = timegm(&tm)) == (time_t)-1 || gmtime_r(&t, &tm) == NULL)
		return -1;
	format_date(&tm, date);
	return 0;
}

int
schedule_sends_on(enum schedule_freq f, const char *date)
{
	struct tm tm;
	time_t t;

	switch (f) {
	case SCHEDULE_DAILY:
		return 1;
	case SCHEDULE_PAUSED:
		return 0;
	case SCHEDULE_WEEKDAYS:
	case SCHEDULE_WEEKLY:
		if (parse_date(date, &tm) == -1)
			return 0;
		tm.tm_hour = 12;
		t = timegm(&tm);
		if (gmtime_r(&t, &tm) == NULL)
			return 0;
		if (f == SCHEDULE_WEEKDAYS)
			return tm.tm_wday >= 1 && tm.tm_wday <= 5;
		return tm.tm_wday == 1;
	}
	return 0;
}

/* The wall clock at t in the current zone, as seconds of a UTC calendar:
 * comparable with timegm() of a local date and time. */
static time_t
wall(time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return (time_t)-1;
	return timegm(&tm);
}

time_t
schedule_send_instant(const char *tz, const char *date, int minutes)
{
	struct tm tm, want;
	time_t target, t, best = (time_t)-1, lo, hi, mid;
	int dst;

	if (parse_date(date, &want) == -1 || minutes < 0 || minutes >= 24 * 60)
		return (time_t)-1;
	want.tm_hour = minutes / 60;
	want.tm_min = minutes % 60;
	tm = want;
	target = timegm(&tm);
	schedule_use(tz);

	/* The wall time exists once or twice: try it as standard and as
	 * summer time, keep the valid readings, take the earliest. */
	for (dst = 0; dst <= 1; dst++) {
		tm = want;
		tm.tm_isdst = dst;
		t = mktime(&tm);
		if (t == (time_t)-1 || wall(t) != target)
			continue;
		if (best == (time_t)-1 || t < best)
			best = t;
	}
	if (best != (time_t)-1)
		return best;

	/* It does not exist: a forward jump. Around it the wall clock only
	 * moves forward, so search for the first instant at or past it. UTC
	 * offsets are within a day, so target +- 26 h brackets it. */
	lo = target - (time_t)26 * 3600;
	hi = target + (time_t)26 * 3600;
	if (wall(lo) >= target || wall(hi) < target)
		return (time_t)-1;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (wall(mid) >= target)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int
schedule_due(const char *tz, int minutes, enum schedule_freq f, time_t now,
    char *date)
{
	time_t at;

	if (schedule_local_date(tz, now, date) == -1)
		return -1;
	if (!schedule_sends_on(f, date))
		return 0;
	if ((at = schedule_send_instant(tz, date, minutes)) == (time_t)-1)
		return -1;
	return now >= at;
}

time_t
schedule_next(const char *tz, int minutes, enum schedule_freq f, time_t now)
{
	char date[SCHEDULE_DATE_LEN];
	time_t at;
	int i;

	if (f == SCHEDULE_PAUSED || schedule_local_date(tz, now, date) == -1)
		return (time_t)-1;
	/* Yesterday's send instant can lie after now across a fall-back;
	 * a week and two days covers every weekly case. */
	if (schedule_date_add(date, -1) == -1)
		return (time_t)-1;
	for (i = 0; i < 10; i++) {
		if (schedule_sends_on(f, date)) {
			at = schedule_send_instant(tz, date, minutes);
			if (at != (time_t)-1 && at > now)
				return at;
		}
		if (schedule_date_add(date, 1) == -1)
			return (time_t)-1;
	}
	return (time_t)-1;
}
