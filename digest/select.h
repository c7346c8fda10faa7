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
	SELECT_NOT_DUE,		/* paused, unsubscribed, inactive, or
				   weekly and not a Monday: no digest */
	SELECT_NOTHING_NEW,	/* due, but nothing is left: skip */
	SELECT_BAD_DATE,	/* the date is not YYYY-MM-DD */
};

struct select_employee {
	int64_t			 id;
	enum frequency		 frequency;
	int			 active;	/* 0: pruned by HR */
	int			 unsubscribed;
	const char *const	*roles;		/* borrowed */
	size_t			 nroles;
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
};

struct select_params {
	int	max_posts;	/* digest.max_posts, >= 1 */
	int	spread_days;	/* digest.spread_days, >= 1 (1: none) */
};

/* Whether the employee gets a digest at all on that day number (daily:
 * always; weekly: Mondays; paused, unsubscribed or inactive: never). */
int	 select_is_due(const struct select_employee *, long day);

/* The spreading rule: the day offset (0 .. window - 1) after which this
 * employee is offered this post, where window = min(spread_days, days from
 * available to expires, inclusive). Stable: a hash of the two ids only. */
long	 select_offset(int64_t employee_id, int64_t post_id, long window);

/* The first day number on which the post is offered to the employee, or -1
 * when the post has no valid window (its available/starts/expires dates are
 * unusable). Weekly employees are not spread (see README). */
long	 select_first_day(const struct select_params *,
	    const struct select_employee *, const struct select_post *);

/* Chooses the digest of one employee for date (their local "YYYY-MM-DD").
 * suggested: the ids of the posts already suggested to them, sorted
 * ascending. Writes the indexes (into posts) of the chosen posts, best
 * first, into chosen (room for params->max_posts) and their number into
 * *nchosen. Order: priority descending, then the soonest expiry, then the
 * earliest availability, then id. */
enum select_result select_digest(const struct select_params *,
	    const struct select_employee *, const char *date,
	    const struct select_post *posts, size_t nposts,
	    const int64_t *suggested, size_t nsuggested,
	    size_t *chosen, size_t *nchosen);

#endif
