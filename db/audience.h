/*
 * db/audience: the stored choices of limited posts' audiences (README,
 * "Audience limits"): who may be offered a limited post, and what a new
 * choice needs to know of every employee. Writes run inside the caller's
 * transaction.
 */
#ifndef CHORUS_DB_AUDIENCE_H
#define CHORUS_DB_AUDIENCE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;

/* A member's seq is their choice's id times this plus their place in it
 * (migration 006); a limit is at most VALIDATE_AUDIENCE_MAX, below it. */
#define DB_AUDIENCE_PLACES	(1LL << 24)

/* One employee as a choice needs them. */
struct db_audience_person {
	int64_t		 id;
	char		 frequency[12];
	int		 active;
	int		 unsubscribed;
	int64_t		 last;		/* their largest seq; 0: never */
	int		 offered;	/* the post was suggested to them */
	char		*rolebuf;	/* HR's roles, then the topics followed,
					   then those muted, each
					   NUL-terminated */
	size_t		 nroles;
	size_t		 nfollows;
	size_t		 nmutes;
};

/* Every employee; owns everything under it. */
struct db_audience_pool {
	struct db_audience_person *v;
	size_t		 n, cap;
};

/* Whether the post's audience is chosen: 1, 0, or -1 after logging. */
int	 db_audience_is_chosen(struct db *, int64_t post_id);

/* Every employee, by id, with their last choice and whether post_id was
 * suggested to them. Replaces *out's contents. Returns 0 or -1. */
int	 db_audience_pool(struct db *, int64_t post_id,
	    struct db_audience_pool *out);
void	 db_audience_pool_free(struct db_audience_pool *);

/* Records the choice of post_id's audience: the employees ids[0..n) in
 * the order chosen (base and cap as select_audience() found them).
 * Returns 0 or -1. */
int	 db_audience_record(struct db *, int64_t post_id, const char *date,
	    long base, long cap, const int64_t *ids, size_t n, time_t now);

/* The limited posts chosen for the employee, ascending, into *ids (a
 * malloc'd array reused and grown; *cap its room). Returns 0 or -1. */
int	 db_audience_of(struct db *, int64_t employee_id, int64_t **ids,
	    size_t *n, size_t *cap);

#endif
