/*
 * schedule: the time math of delivery, pure apart from the C library's
 * time zone database. Every function takes the instant it reasons about as
 * a parameter; nothing here reads the clock.
 *
 * A send time is a local wall-clock time. The send instant of a local date
 * is the earliest instant at which that date's wall clock in the zone has
 * reached the send time: in a spring-forward gap (02:30 that never happens)
 * it is the end of the gap; in a fall-back overlap (01:30 that happens
 * twice) it is the first occurrence. The ledger is keyed by local date, so
 * the repeated hour cannot send twice.
 */
#ifndef CHORUS_SCHEDULE_H
#define CHORUS_SCHEDULE_H

#include <time.h>

#include "common/day.h"

/* The send instant of local date "YYYY-MM-DD" at minutes after local
 * midnight, as described above. Returns -1 for a bad date. */
time_t	 schedule_send_instant(const char *tz, const char *date, int minutes);

/* True (1) when frequency sends on that local date (weekdays: Monday to
 * Friday; weekly: Mondays); 0 also for a bad date. */
int	 schedule_sends_on(enum frequency, const char *date);

/* Whether a digest is due at now: fills date with the local date of now
 * and returns 1 when that date is a send day and now has reached its send
 * instant, 0 when not (yet), -1 on a bad zone. Catch-up after downtime
 * follows: anything missed earlier in the same local date is still due. */
int	 schedule_due(const char *tz, int minutes, enum frequency,
	    time_t now, char *date);

/* The first send instant strictly after now, or -1 (paused, bad zone). */
time_t	 schedule_next(const char *tz, int minutes, enum frequency,
	    time_t now);

#endif
