/*
 * addrcount: the redirector's open connections counted by client address,
 * for the per-address limit. An IPv4 address counts alone; an IPv6
 * address counts by its /64, the least a site is given (RFC 6177), so
 * one host cannot take the limit once for each of its 2^64 addresses.
 * A fixed-size table, no allocation after addrcount_new(), no locking
 * (the caller's).
 */
#ifndef CHORUS_ADDRCOUNT_H
#define CHORUS_ADDRCOUNT_H

#include <stdint.h>
#include <sys/socket.h>

struct addrcount;

/* An address as counted. */
struct addrkey {
	uint8_t		 family;	/* 4, 6, or 0 for any other kind */
	uint8_t		 b[8];		/* IPv4: 4 bytes; IPv6: the /64 */
};

/* The key of sa (len bytes): an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is its IPv4 address; a kind that is neither (or a
 * short sa) is the one key of family 0. */
void	 addrkey_of(struct addrkey *, const struct sockaddr *sa,
	    socklen_t len);

/* A table for at most keys distinct keys at once; seed keys the hash
 * (random in production, so an attacker cannot choose addresses that
 * collide). Never NULL. */
struct addrcount *addrcount_new(unsigned keys, uint64_t seed);
void	 addrcount_free(struct addrcount *);

/* The connections counted for k. */
unsigned addrcount_get(const struct addrcount *, const struct addrkey *k);
/* Counts one more for k and returns the new count, or 0 when k is new
 * and the table already holds its most keys (nothing counted). */
unsigned addrcount_add(struct addrcount *, const struct addrkey *k);
/* Counts one less for k (which must have been counted). */
void	 addrcount_del(struct addrcount *, const struct addrkey *k);
/* Distinct keys counted now. */
unsigned addrcount_keys(const struct addrcount *);

#endif
