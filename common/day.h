/*
 * day: the calendar, in one place. Day numbers count days since
 * 1970-01-01 (day 0; negative before) in the proleptic Gregorian calendar;
 * dates are "YYYY-MM-DD"; the local date of an instant comes from the C
 * library's IANA zone database. The digest frequencies are here too, as
 * the weekdays each one sends on.
 */
#ifndef CHORUS_DAY_H
#define CHORUS_DAY_H

#include <time.h>

#define DAY_DATE_LEN	11	/* "YYYY-MM-DD" and a NUL */

enum day_weekday {
	DAY_SUNDAY, DAY_MONDAY, DAY_TUESDAY, DAY_WEDNESDAY, DAY_THURSDAY,
	DAY_FRIDAY, DAY_SATURDAY,
};
#define DAY_BIT(wd)	(1u << (wd))
#define DAY_EVERY	0x7fu		/* every weekday */

/* The day number of a calendar date (no range check: m 1..12, d 1..31). */
long	 day_from_civil(int y, int m, int d);
/* The calendar date of a day number. */
void	 day_to_civil(long day, int *y, int *m, int *d);

/* Parses "YYYY-MM-DD", a real calendar date of 1970..9999 (the rules of
 * validate_date). Returns 0, or -1 with *why set (why may be NULL). */
int	 day_parse(const char *s, long *day, const char **why);
/* Writes "YYYY-MM-DD" and a NUL into buf (DAY_DATE_LEN bytes); for the
 * years 0 to 9999. */
void	 day_format(long day, char *buf);
/* Adds days (may be negative) to a "YYYY-MM-DD" date in place. Returns 0,
 * or -1 for a bad date. */
int	 day_date_add(char *date, int days);

/* The weekday of a day number: DAY_SUNDAY .. DAY_SATURDAY. */
enum day_weekday day_weekday(long day);
/* Its English name, "Sunday" .. "Saturday"; a static string. */
const char *day_weekday_name(enum day_weekday);
/* The UTC day of an instant (floor division: instants before 1970 do not
 * share day 0). */
long	 day_of_time(time_t t);

/* Writes the local date of instant t in zone tz (an IANA name; "" or NULL
 * is UTC) into out (DAY_DATE_LEN bytes). Returns 0, or -1 if the zone
 * cannot be used. The C library holds one zone at a time (TZ + tzset):
 * the last zone is kept, and only a change of zone reloads it, so nothing
 * else in the program may set TZ. */
int	 day_local_date(const char *tz, time_t t, char *out);
/* Makes tz (as above) the C library's zone, for localtime_r and mktime. */
void	 day_use_zone(const char *tz);

/*
 * The digest frequencies, one line each: the enum value, the name (in the
 * database, the CSV import and the preferences form), the label on the
 * preferences page, and the weekdays it sends on.
 */
#define FREQUENCY_TABLE(X) \
	X(FREQ_DAILY, "daily", "Daily", DAY_EVERY) \
	X(FREQ_WEEKDAYS, "weekdays", "Weekdays (Monday to Friday)", \
	    DAY_BIT(DAY_MONDAY) | DAY_BIT(DAY_TUESDAY) | \
	    DAY_BIT(DAY_WEDNESDAY) | DAY_BIT(DAY_THURSDAY) | \
	    DAY_BIT(DAY_FRIDAY)) \
	X(FREQ_WEEKLY, "weekly", "Weekly (Mondays)", DAY_BIT(DAY_MONDAY)) \
	X(FREQ_PAUSED, "paused", "Paused: no digests for now", 0)

/* FREQ_DAILY, ..., and FREQ_COUNT, the number of frequencies. */
#define FREQUENCY_ENUM(e, name, label, days)	e,
enum frequency { FREQUENCY_TABLE(FREQUENCY_ENUM) FREQ_COUNT };
#undef FREQUENCY_ENUM

/* The frequency named s (exactly), or -1 for anything else or NULL. */
int	 frequency_parse(const char *s);
/* The name and the label of f; static strings. */
const char *frequency_name(enum frequency f);
const char *frequency_label(enum frequency f);
/* True (1) when f sends on that day number. */
int	 frequency_sends_on(enum frequency f, long day);

#endif
