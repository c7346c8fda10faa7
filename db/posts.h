/*
 * db/posts: loading and updating the content calendar.
 * All calls run inside the caller's transaction.
 */
#ifndef CHORUS_DB_POSTS_H
#define CHORUS_DB_POSTS_H

#include <stddef.h>
#include <time.h>

#include "db/employees.h"	/* enum db_upsert */

struct db;

#define POST_MAX_ROLES	64

/* One validated row of posts.csv. Strings are borrowed; NULL means empty
 * (for the per-network texts: use text; for starts/expires: no bound). */
struct post_in {
	const char	*id;
	const char	*title;
	const char	*url;
	const char	*summary;
	const char	*text;
	const char	*text_net[3];	/* indexed by enum network */
	const char	*starts;
	const char	*expires;
	long		 priority;
	/* The audience limit: a count, or a percent in hundredths; both 0:
	 * everyone eligible. */
	long		 audience_count;
	long		 audience_hundredths;
	int		 everyone;	/* roles empty or '*' */
	const char	*roles[POST_MAX_ROLES];
	size_t		 nroles;
	/* The fields whose column the file left out (enum post_keep): an
	 * existing post keeps its stored values, a new one takes the
	 * defaults. */
	unsigned	 keep;
};

enum post_keep {
	POST_KEEP_SUMMARY = 1 << 0,
	POST_KEEP_TEXT = 1 << 1,
	POST_KEEP_TEXT_NET = 1 << 2,	/* << enum network: three bits */
	POST_KEEP_STARTS = 1 << 5,
	POST_KEEP_EXPIRES = 1 << 6,
	POST_KEEP_PRIORITY = 1 << 7,
	POST_KEEP_ROLES = 1 << 8,	/* everyone and the roles */
	POST_KEEP_AUDIENCE = 1 << 9,
};

/* Called inside the import's transaction, before its first row: one
 * import of posts at a time on either store. Returns 0 or -1. */
int	 db_posts_import_begin(struct db *);

/* Adds or updates one post by its id. A change of a post's audience or
 * roles forgets the audience chosen for it (README, "Audience limits"):
 * the next digest chooses again, keeping those already offered it. */
int	 db_posts_upsert(struct db *, const struct post_in *, time_t now,
	    enum db_upsert *result);

#endif
