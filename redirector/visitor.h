/*
 * visitor: tells visitors apart without keeping who they are. A visitor is
 * HMAC-SHA-256(day key, address, User-Agent) cut to 16 bytes (hits.visitor),
 * under a random 32-byte key drawn for each UTC day and wiped when the day
 * ends. A repeat is the same visitor on the same link within 30 minutes of
 * their previous hit there, found in a fixed-size table in memory.
 * The only file that speaks to libcrypto.
 *
 * What this means, and why:
 * - The key lives only in this process's memory and is never written
 *   anywhere. At the first call on a new UTC day (or visitor_key_rotate())
 *   a new key is drawn and the old one wiped: yesterday's visitors can no
 *   longer be recognised by anyone, this process included.
 * - Across the daily change the same person gets a new id, so a repeat that
 *   straddles midnight UTC is not seen (counted once more, at most once per
 *   visitor and link), and unique visitors are per UTC day.
 * - A restart loses the key and the repeat table on purpose (persisting the
 *   key would make its destruction unverifiable): visitors seen before the
 *   restart count as new once more that day.
 * - The address is only hashed: it is copied into a stack buffer for the
 *   HMAC and wiped before visitor_hash() returns.
 */
#ifndef CHORUS_VISITOR_H
#define CHORUS_VISITOR_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define VISITOR_LEN		16	/* bytes stored in hits.visitor */
#define VISITOR_KEY_LEN		32
#define VISITOR_REPEAT_SECS	((time_t)30 * 60)
#define VISITOR_UA_MAX		1024	/* User-Agent bytes hashed */

/* The random source: fills buf with n bytes or dies (rand_bytes() of
 * common/random.h in the program; a fixed sequence in tests). */
typedef void visitor_rand_fn(void *buf, size_t n);

struct visitor_key;
struct visitor_repeats;

/*
 * The day key. Thread-safe: any number of request threads may hash while
 * one of them rotates. visitor_key_new() draws no key yet; the first
 * visitor_hash() or visitor_key_rotate() does. visitor_key_free() wipes it.
 */
struct visitor_key *visitor_key_new(visitor_rand_fn *rnd);
void	 visitor_key_free(struct visitor_key *);

/*
 * Draws a new key when now falls on another UTC day than the key's (or no
 * key exists), wiping the old one; any change counts, so a clock set back
 * also rotates. Returns 1 when it rotated, 0 if not.
 * The server calls it at least once a minute even without traffic, so a
 * day's key does not outlive its day by more than that.
 */
int	 visitor_key_rotate(struct visitor_key *, time_t now);

/*
 * Writes the visitor id of (addr, addrlen bytes: 4 for IPv4, 16 for IPv6)
 * and ua (NULL = none; only its first VISITOR_UA_MAX bytes count) into
 * out, under the key of now's UTC day (rotating first when that day is
 * later than the key's; a request whose now is older than the key uses
 * the key as it is).
 * Returns 0, or -1 if addrlen is not 4 or 16. Allocates nothing.
 */
int	 visitor_hash(struct visitor_key *, time_t now, const void *addr,
	    size_t addrlen, const char *ua, unsigned char out[VISITOR_LEN]);

/*
 * The repeat table: slots entries (rounded up to a power of two, at least
 * 64), in buckets of 4; when a bucket is full the entry seen longest ago
 * is evicted, so memory is fixed (about 32 bytes a slot) whatever the
 * traffic. Thread-safe (one mutex), though meant for the hitlog writer.
 */
struct visitor_repeats *visitor_repeats_new(size_t slots);
void	 visitor_repeats_free(struct visitor_repeats *);

/*
 * Records a hit of visitor id on link_id at now. Returns 1 when the same
 * visitor hit the same link less than VISITOR_REPEAT_SECS before (a
 * repeat; a clock that went back counts as within), else 0.
 */
int	 visitor_repeats_check(struct visitor_repeats *,
	    const unsigned char id[VISITOR_LEN], int64_t link_id, time_t now);

#endif
