/*
 * linkcache: a direct-mapped table of code -> (link, generation, Location)
 * with one mutex per 64 slots; lookups copy the entry out under the lock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "redirector/linkcache.h"

#define STRIPE_SHIFT	6

struct slot {
	char			 code[LINKCACHE_CODE_LEN];
	int			 used;
	struct linkcache_entry	 e;
};

struct linkcache {
	size_t		 mask;
	struct slot	*slots;
	pthread_mutex_t	*locks;
	size_t		 nlocks;
};

static uint32_t
hash(const char *code)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < LINKCACHE_CODE_LEN; i++) {
		h ^= (unsigned char)code[i];
		h *= 16777619u;
	}
	return h;
}

struct linkcache *
linkcache_new(size_t slots)
{
	struct linkcache *c = xcalloc(1, sizeof(*c));
	size_t n = 1u << STRIPE_SHIFT, i;

	while (n < slots)
		n <<= 1;
	c->mask = n - 1;
	/* calloc: pages of slots never used are never touched. */
	c->slots = xcalloc(n, sizeof(*c->slots));
	c->nlocks = n >> STRIPE_SHIFT;
	c->locks = xcalloc(c->nlocks, sizeof(pthread_mutex_t));
	for (i = 0; i < c->nlocks; i++)
		pthread_mutex_init(&c->locks[i], NULL);
	return c;
}

void
linkcache_free(struct linkcache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nlocks; i++)
		pthread_mutex_destroy(&c->locks[i]);
	free(c->locks);
	free(c->slots);
	free(c);
}

int
linkcache_get(struct linkcache *c, const char *code, uint64_t gen,
    struct linkcache_entry *e)
{
	size_t i = hash(code) & c->mask;
	pthread_mutex_t *lock = &c->locks[i >> STRIPE_SHIFT];
	struct slot *s = &c->slots[i];
	int hit = 0;

	pthread_mutex_lock(lock);
	if (s->used && s->e.gen == gen &&
	    memcmp(s->code, code, LINKCACHE_CODE_LEN) == 0) {
		e->link_id = s->e.link_id;
		e->gen = s->e.gen;
		memcpy(e->location, s->e.location,
		    strlen(s->e.location) + 1);
		hit = 1;
	}
	pthread_mutex_unlock(lock);
	return hit;
}

void
linkcache_put(struct linkcache *c, const char *code,
    const struct linkcache_entry *e)
{
	size_t i = hash(code) & c->mask, n;
	pthread_mutex_t *lock = &c->locks[i >> STRIPE_SHIFT];
	struct slot *s = &c->slots[i];

	if ((n = strnlen(e->location, LINKCACHE_LOCATION_MAX)) ==
	    LINKCACHE_LOCATION_MAX)
		return;
	pthread_mutex_lock(lock);
	memcpy(s->code, code, LINKCACHE_CODE_LEN);
	s->used = 1;
	s->e.link_id = e->link_id;
	s->e.gen = e->gen;
	memcpy(s->e.location, e->location, n + 1);
	pthread_mutex_unlock(lock);
}
