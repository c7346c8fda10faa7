/*
 * visitor: the daily-keyed visitor hash, with its key of the day taken
 * from a store shared by every process (fetched a day ahead by the tick),
 * and the bounded in-memory table of recent (visitor, link) pairs behind
 * repeats.
 *
 * The hash is HMAC-SHA-256 (RFC 2104) over libcrypto's SHA-256, with the
 * key's inner and outer states computed once per key: a hash then costs
 * about 0.2 us and allocates nothing, 6 to 8 times less than HMAC(), which
 * fetches the algorithm and allocates a context at each call
 * (bench/visitor.sh). The unit test checks the ids against HMAC().
 */
/* SHA256_Init and friends: deprecated in OpenSSL 3.0, still supported. */
#define OPENSSL_API_COMPAT	0x10100000L
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/day.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "redirector/visitor.h"

#define NO_DAY	INT64_MIN

/* One day's key, as SHA-256 after (key ^ ipad) and after (key ^ opad): the
 * key itself is wiped as soon as these are computed; they are as secret. */
struct day_state {
	int64_t			 day;	/* UTC day; NO_DAY: none */
	SHA256_CTX		 inner, outer;
};

struct visitor_key {
	pthread_rwlock_t	 lock;
	visitor_rand_fn		*rnd;
	visitor_store_fn	*store;	/* NULL: keys of this process only */
	void			*store_arg;
	struct day_state	 cur;	/* the key in use */
	int			 cur_own; /* cur is not the store's (it failed,
					   or was drawn before it was set) */
	struct day_state	 next;	/* tomorrow's, from the store */
	/* One store call at a time (the store's connection is not shared
	 * between threads), without holding lock during a prefetch, so
	 * requests hash on while the database is slow. Taken after lock,
	 * never before. */
	pthread_mutex_t		 store_lock;
	int			 store_failing;	/* with store_lock */
};

static void
state_wipe(struct day_state *s)
{
	OPENSSL_cleanse(&s->inner, sizeof(s->inner));
	OPENSSL_cleanse(&s->outer, sizeof(s->outer));
	s->day = NO_DAY;
}

static void
state_set(struct day_state *s, int64_t day,
    const unsigned char key[VISITOR_KEY_LEN])
{
	unsigned char pad[SHA256_CBLOCK];
	size_t i;

	state_wipe(s);
	/* RFC 2104: a key shorter than the block is padded with zeros. */
	memset(pad, 0, sizeof(pad));
	memcpy(pad, key, VISITOR_KEY_LEN);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	SHA256_Init(&s->inner);
	SHA256_Update(&s->inner, pad, sizeof(pad));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	SHA256_Init(&s->outer);
	SHA256_Update(&s->outer, pad, sizeof(pad));
	OPENSSL_cleanse(pad, sizeof(pad));
	s->day = day;
}

struct visitor_key *
visitor_key_new(visitor_rand_fn *rnd)
{
	struct visitor_key *k = xcalloc(1, sizeof(*k));

	if (pthread_rwlock_init(&k->lock, NULL) != 0 ||
	    pthread_mutex_init(&k->store_lock, NULL) != 0)
		fatalx("visitor: cannot create a lock");
	k->rnd = rnd;
	k->cur.day = NO_DAY;
	k->next.day = NO_DAY;
	return k;
}

void
visitor_key_free(struct visitor_key *k)
{
	if (k == NULL)
		return;
	state_wipe(&k->cur);
	state_wipe(&k->next);
	pthread_mutex_destroy(&k->store_lock);
	pthread_rwlock_destroy(&k->lock);
	free(k);
}

void
visitor_key_set_store(struct visitor_key *k, visitor_store_fn *store,
    void *arg)
{
	pthread_rwlock_wrlock(&k->lock);
	k->store = store;
	k->store_arg = arg;
	k->cur_own = store != NULL && k->cur.day != NO_DAY;
	if (store == NULL)
		state_wipe(&k->next);
	pthread_rwlock_unlock(&k->lock);
}

/*
 * Asks store for the key of day, offering a candidate drawn here, and
 * forgetting days before keep_from. Returns 0 with the shared key in out,
 * or -1 with the candidate in out: a key of this process only.
 */
static int
store_fetch(struct visitor_key *k, visitor_store_fn *store, void *arg,
    int64_t day, int64_t keep_from, unsigned char out[VISITOR_KEY_LEN])
{
	unsigned char fresh[VISITOR_KEY_LEN];
	int r;

	pthread_mutex_lock(&k->store_lock);
	k->rnd(fresh, sizeof(fresh));
	r = store(arg, day, keep_from, fresh, out) == 0 ? 0 : -1;
	if (r == 0 && k->store_failing) {
		log_info("visitor: the visitor key is shared through the "
		    "database again");
		k->store_failing = 0;
	} else if (r == -1) {
		memcpy(out, fresh, sizeof(fresh));
		/* Once until it works again: the tick retries each time. */
		if (!k->store_failing)
			log_warnx("visitor: cannot share the visitor key "
			    "through the database (retried at each tick); "
			    "meanwhile a day without a shared key gets one "
			    "of this process, and its visitors may count "
			    "again on other nodes or after a restart");
		k->store_failing = 1;
	}
	pthread_mutex_unlock(&k->store_lock);
	OPENSSL_cleanse(fresh, sizeof(fresh));
	return r;
}

/* With the write lock held: key becomes the key in use, for day. */
static void
key_install(struct visitor_key *k, int64_t day,
    const unsigned char key[VISITOR_KEY_LEN], int own)
{
	/* A clock set back across midnight: today's shared key is
	 * tomorrow's again, so requests go forward without the store. */
	if (k->store != NULL && k->cur.day == day + 1 && !k->cur_own) {
		state_wipe(&k->next);
		k->next = k->cur;
	}
	state_set(&k->cur, day, key);
	k->cur_own = own;
	if (k->next.day != day + 1)
		state_wipe(&k->next);
}

/* With the write lock held. */
static int
key_rotate_locked(struct visitor_key *k, int64_t day)
{
	unsigned char key[VISITOR_KEY_LEN];
	int own = 0;

	if (k->cur.day == day)
		return 0;
	if (k->next.day == day) {
		/* prefetched: no database on the request path */
		state_wipe(&k->cur);
		k->cur = k->next;
		k->cur_own = 0;
		state_wipe(&k->next);
		return 1;
	}
	if (k->store != NULL)
		own = store_fetch(k, k->store, k->store_arg, day, day,
		    key) == -1;
	else
		k->rnd(key, sizeof(key));
	key_install(k, day, key, own);
	OPENSSL_cleanse(key, sizeof(key));
	return 1;
}

int
visitor_key_rotate(struct visitor_key *k, time_t now)
{
	int r;

	pthread_rwlock_wrlock(&k->lock);
	r = key_rotate_locked(k, (int64_t)day_of_time(now));
	pthread_rwlock_unlock(&k->lock);
	return r;
}

void
visitor_key_prefetch(struct visitor_key *k, time_t now)
{
	unsigned char key[VISITOR_KEY_LEN];
	visitor_store_fn *store;
	void *arg;
	int64_t day = (int64_t)day_of_time(now);
	int need_cur, need_next, r;

	pthread_rwlock_wrlock(&k->lock);
	store = k->store;
	arg = k->store_arg;
	/* Without a store, or with tomorrow's key in hand since yesterday:
	 * rotating needs no database. */
	if (store == NULL || (k->cur.day != day && k->next.day == day))
		(void)key_rotate_locked(k, day);
	need_cur = k->cur.day != day || k->cur_own;
	need_next = k->next.day != day + 1;
	pthread_rwlock_unlock(&k->lock);
	if (store == NULL)
		return;

	/* The store is asked unlocked; what changed meanwhile is checked
	 * again once locked. Its key for a day is the same whoever asks. */
	if (need_cur) {
		r = store_fetch(k, store, arg, day, day, key);
		pthread_rwlock_wrlock(&k->lock);
		if (r == 0 ? k->cur.day != day || k->cur_own :
		    k->cur.day != day)
			key_install(k, day, key, r == -1);
		pthread_rwlock_unlock(&k->lock);
		OPENSSL_cleanse(key, sizeof(key));
		if (r == -1)
			return;		/* tomorrow at the next tick */
	}
	if (need_next) {
		if (store_fetch(k, store, arg, day + 1, day, key) == 0) {
			pthread_rwlock_wrlock(&k->lock);
			if (k->next.day != day + 1 && k->cur.day != day + 1)
				state_set(&k->next, day + 1, key);
			pthread_rwlock_unlock(&k->lock);
		}
		OPENSSL_cleanse(key, sizeof(key));
	}
}

int
visitor_hash(struct visitor_key *k, time_t now, const void *addr,
    size_t addrlen, const char *ua, unsigned char id[VISITOR_LEN])
{
	/* length byte, address, User-Agent: unambiguous, as the address
	 * has a fixed length once its length is known */
	unsigned char msg[1 + 16 + VISITOR_UA_MAX];
	unsigned char ih[SHA256_DIGEST_LENGTH], md[SHA256_DIGEST_LENGTH];
	SHA256_CTX in, out;
	size_t ualen, len;
	int64_t day = (int64_t)day_of_time(now);

	if (addrlen != 4 && addrlen != 16)
		return -1;
	ualen = ua == NULL ? 0 : strnlen(ua, VISITOR_UA_MAX);
	msg[0] = (unsigned char)addrlen;
	memcpy(msg + 1, addr, addrlen);
	if (ualen > 0)
		memcpy(msg + 1 + addrlen, ua, ualen);
	len = 1 + addrlen + ualen;

	/* Only ever forward: a request that read the clock just before
	 * midnight, and arrives after another thread rotated, uses the new
	 * key rather than drawing a key for a day that is over. */
	pthread_rwlock_rdlock(&k->lock);
	while (k->cur.day < day) {
		pthread_rwlock_unlock(&k->lock);
		pthread_rwlock_wrlock(&k->lock);
		if (k->cur.day < day)
			(void)key_rotate_locked(k, day);
		pthread_rwlock_unlock(&k->lock);
		pthread_rwlock_rdlock(&k->lock);
	}
	/* Copies of the keyed states, so the hashing runs unlocked. */
	in = k->cur.inner;
	out = k->cur.outer;
	pthread_rwlock_unlock(&k->lock);

	SHA256_Update(&in, msg, len);
	SHA256_Final(ih, &in);
	SHA256_Update(&out, ih, sizeof(ih));
	SHA256_Final(md, &out);
	memcpy(id, md, VISITOR_LEN);
	OPENSSL_cleanse(msg, len);
	OPENSSL_cleanse(&in, sizeof(in));
	OPENSSL_cleanse(&out, sizeof(out));
	OPENSSL_cleanse(ih, sizeof(ih));
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

#define WAYS	4

struct repeat_entry {
	unsigned char	 id[VISITOR_LEN];
	int64_t		 link_id;
	int64_t		 last;		/* 0: empty */
};

struct visitor_repeats {
	pthread_mutex_t		 lock;
	size_t			 mask;	/* buckets - 1 */
	struct repeat_entry	*e;	/* (mask + 1) * WAYS */
};

struct visitor_repeats *
visitor_repeats_new(size_t slots)
{
	struct visitor_repeats *r = xcalloc(1, sizeof(*r));
	size_t buckets = 16;

	while (buckets * WAYS < slots && buckets < ((size_t)1 << 28))
		buckets *= 2;
	r->mask = buckets - 1;
	r->e = xcalloc(buckets * WAYS, sizeof(*r->e));
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void
visitor_repeats_free(struct visitor_repeats *r)
{
	if (r == NULL)
		return;
	/* visitor ids are not addresses, but need not linger either */
	OPENSSL_cleanse(r->e, (r->mask + 1) * WAYS * sizeof(*r->e));
	free(r->e);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

int
visitor_repeats_check(struct visitor_repeats *r,
    const unsigned char id[VISITOR_LEN], int64_t link_id, time_t now)
{
	struct repeat_entry *b, *victim;
	uint64_t h;
	int64_t t = (int64_t)now;
	int i, repeat = 0;

	/* The id is already a keyed hash: its bytes are uniform. */
	memcpy(&h, id, sizeof(h));
	h ^= (uint64_t)link_id * 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	if (t == 0)
		t = 1;		/* 0 marks an empty entry */

	pthread_mutex_lock(&r->lock);
	b = &r->e[(h & r->mask) * WAYS];
	victim = &b[0];
	for (i = 0; i < WAYS; i++) {
		if (b[i].last != 0 && b[i].link_id == link_id &&
		    memcmp(b[i].id, id, VISITOR_LEN) == 0) {
			repeat = t - b[i].last < VISITOR_REPEAT_SECS;
			victim = &b[i];
			break;
		}
		/* else remember the emptiest: empty, or seen longest ago */
		if (b[i].last < victim->last)
			victim = &b[i];
	}
	memcpy(victim->id, id, VISITOR_LEN);
	victim->link_id = link_id;
	victim->last = t;
	pthread_mutex_unlock(&r->lock);
	return repeat;
}
