/*
 * select: which posts go into one employee's digest on one local date.
 * Pure: the date, the employee, the candidate posts and the posts already
 * suggested are parameters; no clock, no I/O, no randomness. The spreading
 * rule (README, "Selection and the spreading rule") lives here too.
 */
#ifndef CHORUS_SELECT_H
#define CHORUS_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "common/day.h"

/* Why an employee gets no digest, or that they get one. */
enum select_result {
	SELECT_POSTS = 0,	/* at least one post was chosen */
	SELECT_NOT_DUE,		/* paused, unsubscribed, inactive,
				   weekdays on a Saturday or Sunday, or
				   weekly and not a Monday: no digest */
	SELECT_NOTHING_NEW,	/* due, but nothing is left: skip */
	SELECT_BAD_DATE,	/* the date is not YYYY-MM-DD */
};

struct select_employee {
	int64_t			 id;
	enum frequency		 frequency;
	int			 active;	/* 0: pruned by HR */
	int			 unsubscribed;
	const char *const	*roles;		/* HR's; borrowed */
	size_t			 nroles;
	/* The limited posts (select_post's audience) this employee was
	 * chosen for, ascending; borrowed. Any other limited post is never
	 * offered to them. */
	const int64_t		*audience;
	size_t			 naudience;
	/* The posts they said "not for me" to, ascending: never offered
	 * again, even were their suggestions forgotten. Borrowed. */
	const int64_t		*declined;
	size_t			 ndeclined;
	/* The employee's own topics (preferences page): roles followed
	 * beyond HR's, and HR roles muted. Borrowed; may be NULL when
	 * their count is 0. */
	const char *const	*follows;
	size_t			 nfollows;
	const char *const	*mutes;
	size_t			 nmutes;
};

struct select_post {
	int64_t			 id;
	long			 priority;	/* higher first */
	int			 everyone;	/* roles empty or '*' */
	const char *const	*roles;		/* borrowed */
	size_t			 nroles;
	const char		*starts;	/* "YYYY-MM-DD" or NULL */
	const char		*expires;	/* "YYYY-MM-DD" or NULL */
	/* The first local date the post could be offered: the later of
	 * starts and the date it was imported. Anchors the spreading window;
	 * NULL = starts (or no spreading when that is NULL too). */
	const char		*available;
	/* The audience limit (README, "Audience limits"): at most this many
	 * employees, or this share of the eligible in hundredths of a
	 * percent; both 0: everyone eligible. */
	long			 audience_count;
	long			 audience_hundredths;
};

/* One employee as the choice of a limited post's audience sees them. */
struct select_candidate {
	struct select_employee	 e;		/* in */
	int64_t			 last;		/* in: when they were last
						   chosen, any increasing
						   sequence; 0: never */
	int			 offered;	/* in: the post was
						   suggested to them */
	int			 eligible;	/* out */
	uint64_t		 tie;		/* out: the tie-breaker */
};

struct select_params {
	int	max_posts;	/* digest.max_posts, >= 1 */
	int	spread_days;	/* digest.spread_days, >= 1 (1: none) */
};

/* The frequency named as in employees.frequency; unknown: daily. */
enum frequency select_frequency_parse(const char *name);

/* Whether post is for the employee: for everyone, or for one of their
 * HR roles they have not muted, or for a role they follow. */
int	 select_role_match(const struct select_employee *,
	    const struct select_post *);

/* Whether the employee gets a digest at all on that day number (daily:
 * always; weekdays: Monday to Friday; weekly: Mondays; paused,
 * unsubscribed or inactive: never). */
int	 select_is_due(const struct select_employee *, long day);

/* The spreading rule: the day offset (0 .. window - 1) after which this
 * employee is offered this post, where window = min(spread_days, days from
 * available to expires, inclusive). Stable: a hash of the two ids only. */
long	 select_offset(int64_t employee_id, int64_t post_id, long window);

/* The first day number on which the post is offered to the employee, or -1
 * when the post has no valid window (its available/starts/expires dates are
 * unusable). Weekly employees are not spread, weekdays employees are
 * spread over the days of the window they are due (see README). */
long	 select_first_day(const struct select_params *,
	    const struct select_employee *, const struct select_post *);

/* Whether the post has an audience limit. */
int	 select_is_limited(const struct select_post *);

/* The most employees a limited post is offered to, out of base counted:
 * the count, or hundredths / 10,000 of base rounded down but at least 1
 * (0 when base is 0). */
long	 select_audience_cap(const struct select_post *, long base);

/* The tie-breaker between employees chosen equally long ago: a hash of
 * the post and employee ids, independent of select_offset()'s, so the
 * chosen are not the ones offered first and no fixed order always wins. */
uint64_t select_audience_tie(int64_t post_id, int64_t employee_id);

/* Chooses the audience of a limited post on day number day (its first
 * day out). Eligible: for one of the post's roles, and due on some day
 * from day to the post's expiry, at most a week on. Those already offered
 * the post stay in and count against the cap; the free places go to the
 * eligible chosen least recently (smallest last), ties (the never chosen)
 * by select_audience_tie(), then id. Sorts cands in place, the chosen
 * first in the order chosen, and returns their number; *base gets the
 * employees the cap was taken of (offered or eligible), *cap the cap.
 * The result does not depend on the order of cands. */
size_t	 select_audience(const struct select_post *, long day,
	    struct select_candidate *cands, size_t n, long *base, long *cap);

/* Chooses the digest of one employee for date (their local "YYYY-MM-DD").
 * suggested: the ids of the posts already suggested to them, sorted
 * ascending. Neither those nor the employee's declined posts are chosen.
 * Writes the indexes (into posts) of the chosen posts, best first, into
 * chosen (room for params->max_posts) and their number into *nchosen.
 * Order: priority descending, then the soonest expiry, then the earliest
 * availability, then id. */
enum select_result select_digest(const struct select_params *,
	    const struct select_employee *, const char *date,
	    const struct select_post *posts, size_t nposts,
	    const int64_t *suggested, size_t nsuggested,
	    size_t *chosen, size_t *nchosen);

#endif
