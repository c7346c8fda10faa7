/*
 * schedule: send instants per IANA zone. The zone is set through
 * common/day, which keeps the last one; callers that walk many employees
 * keep their own per-zone cache of the answers (digest/run.c).
 */
#include <string.h>
#include <time.h>

#include "common/day.h"
#include "digest/schedule.h"

/* The calendar fields of local date s at midnight, for mktime. */
static int
parse_date(const char *s, struct tm *tm)
{
	long day;
	int y, m, d;

	if (day_parse(s, &day, NULL) == -1)
		return -1;
	day_to_civil(day, &y, &m, &d);
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return 0;
}

int
schedule_sends_on(enum frequency f, const char *date)
{
	long day;

	if (day_parse(date, &day, NULL) == -1)
		return 0;
	return frequency_sends_on(f, day);
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
	day_use_zone(tz);

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
schedule_due(const char *tz, int minutes, enum frequency f, time_t now,
    char *date)
{
	time_t at;

	if (day_local_date(tz, now, date) == -1)
		return -1;
	if (!schedule_sends_on(f, date))
		return 0;
	if ((at = schedule_send_instant(tz, date, minutes)) == (time_t)-1)
		return -1;
	return now >= at;
}

time_t
schedule_next(const char *tz, int minutes, enum frequency f, time_t now)
{
	char date[DAY_DATE_LEN];
	time_t at;
	int i;

	if (f == FREQ_PAUSED || day_local_date(tz, now, date) == -1)
		return (time_t)-1;
	/* Yesterday's send instant can lie after now across a fall-back;
	 * a week and two days covers every weekly case. */
	if (day_date_add(date, -1) == -1)
		return (time_t)-1;
	for (i = 0; i < 10; i++) {
		if (schedule_sends_on(f, date)) {
			at = schedule_send_instant(tz, date, minutes);
			if (at != (time_t)-1 && at > now)
				return at;
		}
		if (day_date_add(date, 1) == -1)
			return (time_t)-1;
	}
	return (time_t)-1;
}
