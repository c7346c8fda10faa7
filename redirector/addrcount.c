/*
 * addrcount: connections counted by address (IPv4) or /64 (IPv6), in an
 * open-addressing table with linear probing, kept at most half full.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/xmalloc.h"
#include "redirector/addrcount.h"

struct slot {
	struct addrkey	 key;
	unsigned	 n;		/* 0: empty */
};

struct addrcount {
	struct slot	*slot;
	size_t		 mask;		/* slots - 1 */
	unsigned	 keys, max_keys;
	uint64_t	 k0, k1;
};

void
addrkey_of(struct addrkey *k, const struct sockaddr *sa, socklen_t len)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	const struct sockaddr_in *in;
	const struct sockaddr_in6 *in6;

	memset(k, 0, sizeof(*k));
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(*in)) {
		in = (const struct sockaddr_in *)(const void *)sa;
		k->family = 4;
		memcpy(k->b, &in->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6 &&
	    len >= (socklen_t)sizeof(*in6)) {
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		/* A dual-stack socket sees IPv4 clients as ::ffff:a.b.c.d:
		 * their /64 would be every IPv4 client at once. */
		if (memcmp(in6->sin6_addr.s6_addr, mapped, 12) == 0) {
			k->family = 4;
			memcpy(k->b, in6->sin6_addr.s6_addr + 12, 4);
		} else {
			k->family = 6;
			memcpy(k->b, in6->sin6_addr.s6_addr, 8);
		}
	}
}

static size_t
addrcount_hash(const struct addrcount *ac, const struct addrkey *k)
{
	uint64_t v;

	memcpy(&v, k->b, sizeof(v));
	return (size_t)hash_mix64(hash_mix64(v ^ ac->k0) ^ k->family ^
	    ac->k1);
}

static int
key_eq(const struct addrkey *a, const struct addrkey *b)
{
	return a->family == b->family && memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

struct addrcount *
addrcount_new(unsigned keys, uint64_t seed)
{
	struct addrcount *ac;
	size_t n = 16;

	if (keys == 0)
		keys = 1;
	while (n < (size_t)keys * 2)
		n *= 2;
	ac = xcalloc(1, sizeof(*ac));
	ac->slot = xcalloc(n, sizeof(*ac->slot));
	ac->mask = n - 1;
	ac->max_keys = keys;
	ac->k0 = hash_mix64(seed ^ 0x9e3779b97f4a7c15ULL);
	ac->k1 = hash_mix64(ac->k0 ^ seed);
	return ac;
}

void
addrcount_free(struct addrcount *ac)
{
	if (ac == NULL)
		return;
	free(ac->slot);
	free(ac);
}

/* The slot of k, or the empty slot where it would go. */
static size_t
addrcount_find(const struct addrcount *ac, const struct addrkey *k)
{
	size_t i = addrcount_hash(ac, k) & ac->mask;

	/* The table is never more than half full: an empty slot ends every
	 * probe. */
	while (ac->slot[i].n != 0 && !key_eq(&ac->slot[i].key, k))
		i = (i + 1) & ac->mask;
	return i;
}

unsigned
addrcount_get(const struct addrcount *ac, const struct addrkey *k)
{
	return ac->slot[addrcount_find(ac, k)].n;
}

unsigned
addrcount_add(struct addrcount *ac, const struct addrkey *k)
{
	struct slot *s = &ac->slot[addrcount_find(ac, k)];

	if (s->n == 0) {
		if (ac->keys == ac->max_keys)
			return 0;
		s->key = *k;
		ac->keys++;
	}
	return ++s->n;
}

void
addrcount_del(struct addrcount *ac, const struct addrkey *k)
{
	size_t i = addrcount_find(ac, k), j, home;

	if (ac->slot[i].n == 0 || --ac->slot[i].n > 0)
		return;
	ac->keys--;
	/* Backward-shift deletion: move up each later key of the run that
	 * could not otherwise be found past the hole (no tombstones, so the
	 * table never fills with them). */
	j = i;
	for (;;) {
		j = (j + 1) & ac->mask;
		if (ac->slot[j].n == 0)
			break;
		home = addrcount_hash(ac, &ac->slot[j].key) & ac->mask;
		/* Leave it when its home lies cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		ac->slot[i] = ac->slot[j];
		i = j;
	}
	ac->slot[i].n = 0;
}

unsigned
addrcount_keys(const struct addrcount *ac)
{
	return ac->keys;
}
