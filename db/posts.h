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
	int		 everyone;	/* roles empty or '*' */
	const char	*roles[POST_MAX_ROLES];
	size_t		 nroles;
};

/* Adds or updates one post by its id. */
int	 db_posts_upsert(struct db *, const struct post_in *, time_t now,
	    enum db_upsert *result);

#endif
