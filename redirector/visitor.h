/*
 * visitor: tells visitors apart without keeping who they are. A visitor is
 * HMAC-SHA-256(day key, address, User-Agent) cut to 16 bytes (hits.visitor),
 * under a random 32-byte key for each UTC day. A repeat is the same visitor
 * on the same link within 30 minutes of their previous hit there, found in
 * a fixed-size table in memory. The only file that speaks to libcrypto.
 *
 * Where the key lives, and when it is destroyed:
 * - With a store set (the redirector's: db/daykey.c), a day's key is a row
 *   of visitor_keys in the database. The first process to need it offers a
 *   random candidate and every process reads back the same row, so a
 *   restart or a second redirector on the same database gives one person
 *   the same id all day. Tomorrow's row is made in advance (prefetch).
 * - Rows of past days are deleted by the first store call of each process
 *   after midnight UTC (its prefetch, within a minute while it runs),
 *   with secure_delete, which zeroes the row's bytes in the page, and a
 *   passive checkpoint carries the zeroed page into the database file.
 *   While no redirector runs, the last days' rows stay until one starts.
 *   The WAL file may still hold a page with a deleted key until that part
 *   of the WAL is written over, and a filesystem or disk (copy-on-write,
 *   SSD remapping, snapshots, file backups) may keep old blocks beyond
 *   SQLite's reach. `chorus backup` writes no key into a backup.
 * - In memory, a process keeps the keyed states of today and of tomorrow
 *   (the raw key is wiped as soon as they are computed); at each change of
 *   day the past day's state is wiped. The store connection's SQLite page
 *   cache holds the rows it read while it is open.
 * - If the store fails, the process draws a key of its own for the day
 *   (one warning), as without a store: visitors it sees count again on
 *   other processes and after a restart, and again once it gets back to
 *   the shared key, which it retries at every prefetch.
 * - Without a store the key lives only in this process's memory and dies
 *   with the day or the process; a restart then counts everyone again.
 *
 * What someone who can read the database (or a copy of its files) learns:
 * - The keys of the days it holds, today's and tomorrow's at least, and
 *   with them, for those days, whether a guessed address and User-Agent
 *   made a hit: a visitor id is a test of guesses. IPv4 has only 2^32
 *   addresses and popular User-Agents are few, so a visitor's IPv4
 *   address falls to brute force (2^32 HMACs per User-Agent guessed:
 *   minutes on one machine); an IPv6 address is out of reach unless its
 *   network and host part can be guessed (a known prefix and a host part
 *   made from a MAC address or a small number). So ids of a day whose key someone holds
 *   are pseudonyms, not anonymous data. A copy of the files (a snapshot,
 *   cp, a disk image; not `chorus backup`) keeps that day's key for ever.
 * - Of a day whose key was destroyed before they read it, only that
 *   hits with the same id came from the same address and User-Agent that
 *   day (unique clicks): the ids cannot be tested against guesses without
 *   the key, and do not link a person across days.
 * - Never a stored address: none is written anywhere. The address is
 *   copied into a stack buffer for the HMAC and wiped before
 *   visitor_hash() returns.
 *
 * Across the daily change the same person gets a new id, so a repeat that
 * straddles midnight UTC is not seen (counted once more, at most once per
 * visitor and link), and unique visitors are per UTC day. The repeat table
 * is per process: a share repeated on another redirector is found by the
 * reports (redirector/rejudge.c), which judge every node's hits again.
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
 * Where a day's key is kept for every process: writes into out the key of
 * day (UTC days since 1970-01-01), fresh (drawn by the caller with the
 * random source) unless the store has one already, and forgets the keys
 * of days before keep_from. Returns 0, or -1 after logging. One struct
 * visitor_key makes one call at a time (so arg, given to one key only,
 * needs no lock of its own), sometimes with the key's lock held: it must
 * not call back into this module. db/daykey.c's db_daykey_get() is one, once
 * wrapped to take a void *.
 */
typedef int visitor_store_fn(void *arg, int64_t day, int64_t keep_from,
    const unsigned char fresh[VISITOR_KEY_LEN],
    unsigned char out[VISITOR_KEY_LEN]);

/*
 * The day key. Thread-safe: any number of request threads may hash while
 * one of them rotates or prefetches. visitor_key_new() draws no key yet;
 * the first visitor_hash(), visitor_key_rotate() or visitor_key_prefetch()
 * does. visitor_key_free() wipes it.
 */
struct visitor_key *visitor_key_new(visitor_rand_fn *rnd);
void	 visitor_key_free(struct visitor_key *);

/*
 * Takes the day keys from store from now on (arg is passed to it; both
 * borrowed until visitor_key_free()); NULL goes back to keys of this
 * process only. A key already drawn by this process is replaced by the
 * shared one at the next prefetch.
 */
void	 visitor_key_set_store(struct visitor_key *, visitor_store_fn *store,
	    void *arg);

/*
 * Takes the key of now's UTC day when the key in use is of another day (or
 * no key exists), wiping the old one; any change counts, so a clock set
 * back also rotates. The new key is tomorrow's prefetched one when it is
 * of that day, else the store's (asked with the lock held), else (no store,
 * or the store failed) one drawn for this process. Returns 1 when it
 * rotated, 0 if not.
 */
int	 visitor_key_rotate(struct visitor_key *, time_t now);

/*
 * What the server's tick calls, at least once a minute even without
 * traffic, so a day's key does not outlive its day by more than that.
 * Rotates as visitor_key_rotate() does, and with a store: replaces a key
 * of this process's own for today by the shared one (retrying a store
 * that failed), and fetches tomorrow's key into memory, so that the first
 * request after midnight UTC takes it without touching the database.
 * The store is asked without the key's lock held: requests hash on
 * meanwhile. Each store call forgets the keys of days before today.
 */
void	 visitor_key_prefetch(struct visitor_key *, time_t now);

/*
 * Writes the visitor id of (addr, addrlen bytes: 4 for IPv4, 16 for IPv6)
 * and ua (NULL = none; only its first VISITOR_UA_MAX bytes count) into
 * out, under the key of now's UTC day (rotating first, as
 * visitor_key_rotate(), when that day is later than the key's; a request
 * whose now is older than the key uses the key as it is).
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
