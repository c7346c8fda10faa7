/*
 * audience: the audiences of limited posts (README, "Audience limits").
 * The first digest that could offer a limited post chooses who may ever
 * be offered it, with select_audience() over every employee; each digest
 * then asks which limited posts its employee was chosen for.
 */
#ifndef CHORUS_AUDIENCE_H
#define CHORUS_AUDIENCE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;
struct db_post;
struct audience;

/* Returns a new chooser; the caller frees it with audience_free(). */
struct audience *audience_new(void);
void	 audience_free(struct audience *);

/* Chooses the audience of each limited post among posts[0..n) that has
 * none yet, as of local date (the digest being planned): with record,
 * stores it inside the caller's write transaction; without (a preview,
 * on a read-only database), keeps it in memory only. Returns 0, or -1
 * after logging. */
int	 audience_choose(struct audience *, struct db *,
	    const struct db_post *posts, size_t n, const char *date,
	    time_t now, int record);

/* The limited posts employee_id was chosen for, ascending: those stored
 * and those chosen in memory. Borrowed until the next call. Returns 0 or
 * -1 after logging. */
int	 audience_of(struct audience *, struct db *, int64_t employee_id,
	    const int64_t **ids, size_t *n);

#endif
