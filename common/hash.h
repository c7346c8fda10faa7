/*
 * hash: the finaliser of MurmurHash3 (fmix64), for the fixed tables that
 * spread keys over sets: every input bit moves every output bit. Not for
 * anything an attacker must not predict: seed the input for that.
 */
#ifndef CHORUS_HASH_H
#define CHORUS_HASH_H

#include <stdint.h>

static inline uint64_t
hash_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif
