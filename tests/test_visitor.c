/*
 * Tests of the visitor hash (known answers computed here with libcrypto,
 * key rotation by UTC day with a scripted random source) and of the repeat
 * table (30-minute window, per link, bounded with eviction).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <cmocka.h>

#include "redirector/visitor.h"

#define DAY	86400
#define T0	((time_t)1764000000)	/* 2025-11-24 16:00:00 UTC */

/* The scripted random source: key n is 32 bytes of value n. */
static int draws;

static void
fake_rand(void *buf, size_t n)
{
	draws++;
	memset(buf, draws, n);
}

static void
expect(int keyno, const void *addr, size_t alen, const char *ua,
    const unsigned char got[VISITOR_LEN])
{
	unsigned char key[VISITOR_KEY_LEN], msg[2048], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	size_t ulen = ua ? strlen(ua) : 0;

	if (ulen > VISITOR_UA_MAX)
		ulen = VISITOR_UA_MAX;
	memset(key, keyno, sizeof(key));
	msg[0] = (unsigned char)alen;
	memcpy(msg + 1, addr, alen);
	memcpy(msg + 1 + alen, ua ? ua : "", ulen);
	HMAC(EVP_sha256(), key, sizeof(key), msg, 1 + alen + ulen, md, &mdlen);
	assert_int_equal(memcmp(md, got, VISITOR_LEN), 0);
}

static const unsigned char v4a[4] = { 192, 0, 2, 1 };
static const unsigned char v4b[4] = { 192, 0, 2, 2 };
static const unsigned char v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

static void
test_hash(void **state)
{
	struct visitor_key *k;
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];

	(void)state;
	draws = 0;
	k = visitor_key_new(fake_rand);
	assert_int_equal(draws, 0);		/* no key before first use */
	assert_int_equal(visitor_hash(k, T0, v4a, 4, "UA one", a), 0);
	assert_int_equal(draws, 1);
	expect(1, v4a, 4, "UA one", a);
	/* same day, same input: same id; no new key */
	assert_int_equal(visitor_hash(k, T0 + 3600, v4a, 4, "UA one", b), 0);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	assert_int_equal(draws, 1);
	/* another address or User-Agent: another id */
	assert_int_equal(visitor_hash(k, T0, v4b, 4, "UA one", b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	expect(1, v4b, 4, "UA one", b);
	assert_int_equal(visitor_hash(k, T0, v4a, 4, "UA two", b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	/* no User-Agent hashes like an empty one; IPv6 */
	assert_int_equal(visitor_hash(k, T0, v6a, 16, NULL, b), 0);
	expect(1, v6a, 16, "", b);
	/* bad address lengths */
	assert_int_equal(visitor_hash(k, T0, v6a, 0, "x", b), -1);
	assert_int_equal(visitor_hash(k, T0, v6a, 8, "x", b), -1);
	visitor_key_free(k);
}

/* Only the first VISITOR_UA_MAX bytes of the User-Agent count. */
static void
test_long_ua(void **state)
{
	static char ua1[VISITOR_UA_MAX + 100], ua2[VISITOR_UA_MAX + 100];
	struct visitor_key *k;
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];

	(void)state;
	draws = 0;
	k = visitor_key_new(fake_rand);
	memset(ua1, 'a', sizeof(ua1) - 1);
	memset(ua2, 'a', sizeof(ua2) - 1);
	ua2[VISITOR_UA_MAX + 50] = 'b';
	assert_int_equal(visitor_hash(k, T0, v4a, 4, ua1, a), 0);
	assert_int_equal(visitor_hash(k, T0, v4a, 4, ua2, b), 0);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	expect(1, v4a, 4, ua1, a);
	ua2[VISITOR_UA_MAX - 1] = 'b';
	assert_int_equal(visitor_hash(k, T0, v4a, 4, ua2, b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	visitor_key_free(k);
}

/* A new key at each UTC midnight, never for a day that is over. */
static void
test_rotation(void **state)
{
	struct visitor_key *k;
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];
	time_t midnight = (T0 / DAY + 1) * DAY;

	(void)state;
	draws = 0;
	k = visitor_key_new(fake_rand);
	assert_int_equal(visitor_key_rotate(k, midnight - 1), 1);
	assert_int_equal(visitor_key_rotate(k, midnight - 1), 0);
	assert_int_equal(visitor_hash(k, midnight - 1, v4a, 4, "u", a), 0);
	expect(1, v4a, 4, "u", a);
	assert_int_equal(visitor_hash(k, midnight, v4a, 4, "u", b), 0);
	assert_int_equal(draws, 2);
	expect(2, v4a, 4, "u", b);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	/* a late request from before midnight takes today's key */
	assert_int_equal(visitor_hash(k, midnight - 1, v4a, 4, "u", a), 0);
	assert_int_equal(draws, 2);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	/* the timer's rotate follows the clock even backwards */
	assert_int_equal(visitor_key_rotate(k, midnight + DAY - 1), 0);
	assert_int_equal(visitor_key_rotate(k, midnight + DAY), 1);
	assert_int_equal(visitor_key_rotate(k, midnight - 10), 1);
	assert_int_equal(draws, 4);
	/* before 1970 days are floored, not truncated towards zero */
	assert_int_equal(visitor_key_rotate(k, -1), 1);
	assert_int_equal(visitor_key_rotate(k, 0), 1);
	assert_int_equal(visitor_key_rotate(k, DAY - 1), 0);
	visitor_key_free(k);
}

struct worker {
	struct visitor_key	*k;
	time_t			 midnight;
	int			 bad;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	unsigned char id[VISITOR_LEN];
	int i;

	for (i = 0; i < 2000; i++)
		if (visitor_hash(w->k, w->midnight - 1 + (i % 3 == 0), v4a, 4,
		    "u", id) != 0)
			w->bad++;
	return NULL;
}

/* Threads hashing across midnight draw exactly one new key between them. */
static void
test_threads(void **state)
{
	struct worker w[4];
	pthread_t t[4];
	time_t midnight = (T0 / DAY + 1) * DAY;
	unsigned char id[VISITOR_LEN];
	int i;

	(void)state;
	draws = 0;
	memset(w, 0, sizeof(w));
	w[0].k = visitor_key_new(fake_rand);
	assert_int_equal(visitor_key_rotate(w[0].k, midnight - 1), 1);
	for (i = 0; i < 4; i++) {
		w[i].k = w[0].k;
		w[i].midnight = midnight;
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].bad, 0);
	}
	assert_int_equal(draws, 2);
	assert_int_equal(visitor_hash(w[0].k, midnight, v4a, 4, "u", id), 0);
	expect(2, v4a, 4, "u", id);
	visitor_key_free(w[0].k);
}

static void
id_of(unsigned char id[VISITOR_LEN], unsigned n)
{
	unsigned char key[32] = { 7 };
	unsigned char md[EVP_MAX_MD_SIZE], msg[sizeof(n)];
	unsigned int mdlen;

	/* uniform ids, as the real hash gives */
	memcpy(msg, &n, sizeof(n));
	HMAC(EVP_sha256(), key, sizeof(key), msg, sizeof(msg), md, &mdlen);
	memcpy(id, md, VISITOR_LEN);
}

static void
test_repeats(void **state)
{
	struct visitor_repeats *r = visitor_repeats_new(1000);
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];

	(void)state;
	id_of(a, 1);
	id_of(b, 2);
	assert_int_equal(visitor_repeats_check(r, a, 10, T0), 0);
	assert_int_equal(visitor_repeats_check(r, a, 10, T0 + 60), 1);
	/* another link, another visitor: not repeats */
	assert_int_equal(visitor_repeats_check(r, a, 11, T0 + 60), 0);
	assert_int_equal(visitor_repeats_check(r, b, 10, T0 + 60), 0);
	/* the window runs from the previous hit: 29:59 later is a repeat */
	assert_int_equal(visitor_repeats_check(r, a, 10,
	    T0 + 60 + VISITOR_REPEAT_SECS - 1), 1);
	/* 30:00 after the previous hit is not */
	assert_int_equal(visitor_repeats_check(r, a, 10,
	    T0 + 60 + 2 * VISITOR_REPEAT_SECS - 1), 0);
	/* a clock gone back: within */
	assert_int_equal(visitor_repeats_check(r, b, 10, T0), 1);
	visitor_repeats_free(r);
}

/* Fixed size: far more pairs than slots all fit, old ones are evicted and
 * recent ones are still found. */
static void
test_bounded(void **state)
{
	struct visitor_repeats *r = visitor_repeats_new(256);
	unsigned char id[VISITOR_LEN];
	unsigned i, found = 0;

	(void)state;
	for (i = 0; i < 100000; i++) {
		id_of(id, i);
		assert_int_equal(visitor_repeats_check(r, id, 1,
		    T0 + (time_t)i), 0);
	}
	/* the first ones were evicted: new again */
	for (i = 0; i < 10; i++) {
		id_of(id, i);
		assert_int_equal(visitor_repeats_check(r, id, 1,
		    T0 + 100000), 0);
	}
	/* most of the 64 latest are still there (a bucket can overflow) */
	for (i = 100000 - 64; i < 100000; i++) {
		id_of(id, i);
		found += (unsigned)visitor_repeats_check(r, id, 1,
		    T0 + 100000);
	}
	assert_true(found >= 32);
	visitor_repeats_free(r);
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Prints ns per visitor id, ours beside libcrypto's one-shot HMAC() over
 * the same message (the anchor). */
static int
bench(void)
{
	static const char ua[] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 "
	    "Safari/537.36";
	const int n = 200000;
	unsigned char addr[4] = { 192, 0, 2, 0 }, id[VISITOR_LEN];
	unsigned char key[VISITOR_KEY_LEN], msg[256], md[EVP_MAX_MD_SIZE];
	struct visitor_key *k = visitor_key_new(fake_rand);
	unsigned int mdlen;
	unsigned sink = 0;
	double t0, ours, anchor;
	int i;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		addr[3] = (unsigned char)i;
		visitor_hash(k, T0, addr, 4, ua, id);
		sink += id[0];
	}
	ours = (now_ns() - t0) / n;
	memset(key, 1, sizeof(key));
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		msg[0] = 4;
		addr[3] = (unsigned char)i;
		memcpy(msg + 1, addr, 4);
		memcpy(msg + 5, ua, sizeof(ua) - 1);
		HMAC(EVP_sha256(), key, sizeof(key), msg, 4 + sizeof(ua), md,
		    &mdlen);
		sink += md[0];
	}
	anchor = (now_ns() - t0) / n;
	printf("visitor_hash      %8.0f ns/id\n", ours);
	printf("HMAC() one-shot   %8.0f ns/id (anchor)\n", anchor);
	printf("ratio             %8.1fx faster (sink %u)\n", anchor / ours,
	    sink & 1);
	visitor_key_free(k);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_long_ua),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_bounded),
	};

	if (argc > 1 && strcmp(argv[1], "--bench") == 0)
		return bench();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
