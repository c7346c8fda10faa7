/*
 * linkcache: a set-associative table of code -> (link, generation,
 * Location): a code may sit in any of the WAYS slots of its set, so codes
 * sharing a set do not evict each other until the set is full. Over the
 * 10,000 random codes of bench/redirector.sh, 32768 direct-mapped slots
 * would miss about 13% of clicks (each miss a database read), 4-way sets
 * under 1%. One mutex per 64 slots; lookups copy the entry out under the
 * lock.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "redirector/linkcache.h"

#define STRIPE_SHIFT	6	/* 64 slots per mutex */
#define WAYS		4	/* slots per set, a power of two */

struct slot {
	char			 code[LINKCACHE_CODE_MAX];	/* NUL-padded */
	int			 used;
	uint32_t		 stamp;		/* of the last put */
	struct linkcache_entry	 e;
};

struct linkcache {
	size_t		 mask;
	struct slot	*slots;
	pthread_mutex_t	*locks;
	size_t		 nlocks;
	_Atomic uint32_t clock;		/* stamps; wrapping is harmless */
};

/* The key of code: its characters, NUL-padded to LINKCACHE_CODE_MAX.
 * Returns -1 when code is longer. */
static int
key_of(const char *code, char *key)
{
	size_t n = strnlen(code, LINKCACHE_CODE_MAX + 1);

	if (n > LINKCACHE_CODE_MAX)
		return -1;
	memset(key, 0, LINKCACHE_CODE_MAX);
	memcpy(key, code, n);
	return 0;
}

static uint32_t
hash(const char *code)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < LINKCACHE_CODE_MAX; i++) {
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

/* The first slot of code's set; the set never straddles two mutexes. */
static size_t
set_of(const struct linkcache *c, const char *code)
{
	return hash(code) & c->mask & ~(size_t)(WAYS - 1);
}

int
linkcache_get(struct linkcache *c, const char *code, uint64_t gen,
    struct linkcache_entry *e)
{
	char key[LINKCACHE_CODE_MAX];
	size_t i, w;
	pthread_mutex_t *lock;
	struct slot *s;
	int hit = 0;

	if (key_of(code, key) == -1)
		return 0;
	i = set_of(c, key);
	lock = &c->locks[i >> STRIPE_SHIFT];
	pthread_mutex_lock(lock);
	for (w = 0; w < WAYS; w++) {
		s = &c->slots[i + w];
		if (s->used && memcmp(s->code, key, LINKCACHE_CODE_MAX) == 0) {
			if (s->e.gen == gen) {
				e->link_id = s->e.link_id;
				e->gen = s->e.gen;
				e->employee_id = s->e.employee_id;
				e->digest_id = s->e.digest_id;
				e->delivered = s->e.delivered;
				memcpy(e->location, s->e.location,
				    strlen(s->e.location) + 1);
				hit = 1;
			}
			break;
		}
	}
	pthread_mutex_unlock(lock);
	return hit;
}

void
linkcache_put(struct linkcache *c, const char *code,
    const struct linkcache_entry *e)
{
	char key[LINKCACHE_CODE_MAX];
	size_t i, w, n;
	pthread_mutex_t *lock;
	struct slot *s, *victim = NULL;
	uint32_t now;

	if ((n = strnlen(e->location, LINKCACHE_LOCATION_MAX)) ==
	    LINKCACHE_LOCATION_MAX || key_of(code, key) == -1)
		return;
	i = set_of(c, key);
	lock = &c->locks[i >> STRIPE_SHIFT];
	now = atomic_fetch_add_explicit(&c->clock, 1, memory_order_relaxed);
	pthread_mutex_lock(lock);
	/* The code's own slot, else a free one, else the one stored longest
	 * ago (a hit does not count: lookups then write nothing shared). */
	for (w = 0; w < WAYS; w++) {
		s = &c->slots[i + w];
		if (s->used && memcmp(s->code, key, LINKCACHE_CODE_MAX) == 0) {
			victim = s;
			break;
		}
		if (victim == NULL || (victim->used && (!s->used ||
		    (int32_t)(now - s->stamp) >
		    (int32_t)(now - victim->stamp))))
			victim = s;
	}
	s = victim;
	memcpy(s->code, key, LINKCACHE_CODE_MAX);
	s->used = 1;
	s->stamp = now;
	s->e.link_id = e->link_id;
	s->e.gen = e->gen;
	s->e.employee_id = e->employee_id;
	s->e.digest_id = e->digest_id;
	s->e.delivered = e->delivered;
	memcpy(s->e.location, e->location, n + 1);
	pthread_mutex_unlock(lock);
}
