/*
 * linkcache: the redirects of recently used codes, in memory, so a click
 * needs no database read. Each entry carries the link generation it was
 * read at (db/migrations: link_generation); an entry of another generation
 * is a miss. Fixed size (4-way set-associative: a new code takes the slot
 * of its set stored longest ago), thread-safe through striped locks, no
 * allocation after linkcache_new().
 */
#ifndef CHORUS_LINKCACHE_H
#define CHORUS_LINKCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "common/random.h"

#define LINKCACHE_CODE_MAX	RAND_CODE_LEN	/* the longest code */
#define LINKCACHE_LOCATION_MAX	512	/* longer Locations are not cached */

struct linkcache;

struct linkcache_entry {
	int64_t		 link_id;
	uint64_t	 gen;
	int64_t		 employee_id;
	int64_t		 digest_id;	/* see struct redirect_link */
	int64_t		 delivered;
	char		 location[LINKCACHE_LOCATION_MAX];
};

/* slots is rounded up to a power of two. Never NULL. */
struct linkcache *linkcache_new(size_t slots);
void	 linkcache_free(struct linkcache *);

/* Copies the entry of code (a string of up to LINKCACHE_CODE_MAX
 * characters; longer ones never match) into *e when it
 * is there at generation gen. Returns 1, or 0 for a miss. */
int	 linkcache_get(struct linkcache *, const char *code, uint64_t gen,
	    struct linkcache_entry *e);
/* Stores e (its gen included) for code; a Location too long is ignored. */
void	 linkcache_put(struct linkcache *, const char *code,
	    const struct linkcache_entry *e);

#endif
