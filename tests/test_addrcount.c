/* Tests of the per-address count: IPv4 by address, IPv6 by /64 (an
 * IPv4-mapped address as its IPv4 address), counts up and down, the most
 * keys, and a random walk of adds and deletes against a plain array (the
 * table's deletion moves keys: none may be lost). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "redirector/addrcount.h"

static void
key4(struct addrkey *k, const char *s)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(1234);
	assert_int_equal(inet_pton(AF_INET, s, &in.sin_addr), 1);
	addrkey_of(k, (struct sockaddr *)&in, sizeof(in));
}

static void
key6(struct addrkey *k, const char *s)
{
	struct sockaddr_in6 in6;

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(4321);
	assert_int_equal(inet_pton(AF_INET6, s, &in6.sin6_addr), 1);
	addrkey_of(k, (struct sockaddr *)&in6, sizeof(in6));
}

static int
same(const struct addrkey *a, const struct addrkey *b)
{
	return a->family == b->family && memcmp(a->b, b->b, 8) == 0;
}

static void
test_keys(void **state)
{
	struct addrkey a, b;
	struct sockaddr_in in;

	(void)state;
	key4(&a, "192.0.2.1");
	key4(&b, "192.0.2.2");
	assert_int_equal(a.family, 4);
	assert_false(same(&a, &b));
	/* The port is not the address. */
	key4(&b, "192.0.2.1");
	assert_true(same(&a, &b));

	/* One /64 is one key, whatever its interface identifier. */
	key6(&a, "2001:db8:1:2::1");
	key6(&b, "2001:db8:1:2:ffff:ffff:ffff:ffff");
	assert_int_equal(a.family, 6);
	assert_true(same(&a, &b));
	key6(&b, "2001:db8:1:3::1");
	assert_false(same(&a, &b));
	key6(&b, "2001:db8:1:2:1::");
	assert_true(same(&a, &b));

	/* A dual-stack socket's IPv4 client is its IPv4 address. */
	key6(&a, "::ffff:192.0.2.1");
	key4(&b, "192.0.2.1");
	assert_true(same(&a, &b));
	key6(&a, "::ffff:192.0.2.9");
	assert_false(same(&a, &b));
	/* ::1 is not mapped: an IPv6 key. */
	key6(&a, "::1");
	assert_int_equal(a.family, 6);

	/* Another kind, a short address and none are the one key 0. */
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_UNIX;
	addrkey_of(&a, (struct sockaddr *)&in, sizeof(in));
	assert_int_equal(a.family, 0);
	in.sin_family = AF_INET;
	addrkey_of(&b, (struct sockaddr *)&in, 4);
	assert_true(same(&a, &b));
	addrkey_of(&b, NULL, 0);
	assert_true(same(&a, &b));
}

static void
test_count(void **state)
{
	struct addrcount *ac = addrcount_new(2, 7);
	struct addrkey a, b, c, d;

	(void)state;
	key6(&a, "2001:db8::1");
	key6(&b, "2001:db8::2");	/* a's /64 */
	key6(&c, "2001:db8:0:1::1");
	key4(&d, "192.0.2.1");
	assert_int_equal(addrcount_get(ac, &a), 0);
	assert_int_equal(addrcount_add(ac, &a), 1);
	assert_int_equal(addrcount_add(ac, &b), 2);
	assert_int_equal(addrcount_get(ac, &a), 2);
	assert_int_equal(addrcount_add(ac, &c), 1);
	assert_int_equal(addrcount_keys(ac), 2);
	/* A third key does not fit; a known one still counts. */
	assert_int_equal(addrcount_add(ac, &d), 0);
	assert_int_equal(addrcount_get(ac, &d), 0);
	assert_int_equal(addrcount_add(ac, &c), 2);
	addrcount_del(ac, &a);
	assert_int_equal(addrcount_get(ac, &b), 1);
	addrcount_del(ac, &b);
	assert_int_equal(addrcount_get(ac, &a), 0);
	assert_int_equal(addrcount_keys(ac), 1);
	assert_int_equal(addrcount_add(ac, &d), 1);
	addrcount_del(ac, &c);
	addrcount_del(ac, &c);
	addrcount_del(ac, &d);
	assert_int_equal(addrcount_keys(ac), 0);
	addrcount_free(ac);
}

/* A deterministic stream for the walk. */
static uint32_t
next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define WALK_KEYS	200
#define WALK_STEPS	200000

/* Adds and deletes at random over more keys than fit at once, with a
 * table small enough that probes run into each other, checking every
 * count against an array after each step. */
static void
test_walk(void **state)
{
	static unsigned model[WALK_KEYS];
	struct addrcount *ac;
	struct addrkey k;
	char s[64];
	uint32_t r = 12345;
	unsigned i, held, step, got, seed;

	(void)state;
	for (seed = 0; seed < 3; seed++) {
		ac = addrcount_new(64, seed);
		memset(model, 0, sizeof(model));
		held = 0;
		for (step = 0; step < WALK_STEPS / 3; step++) {
			i = next(&r) % WALK_KEYS;
			if (i % 2)
				snprintf(s, sizeof(s), "2001:db8:%x:%x::%x",
				    i, i * 7, step & 0xffff);
			else
				snprintf(s, sizeof(s), "10.%u.%u.1", i / 256,
				    i % 256);
			if (i % 2)
				key6(&k, s);
			else
				key4(&k, s);
			if (next(&r) % 2 && model[i] > 0) {
				addrcount_del(ac, &k);
				if (--model[i] == 0)
					held--;
			} else {
				got = addrcount_add(ac, &k);
				if (model[i] == 0 && held == 64) {
					assert_int_equal(got, 0);
				} else {
					if (model[i]++ == 0)
						held++;
					assert_int_equal(got, model[i]);
				}
			}
			assert_int_equal(addrcount_keys(ac), held);
			if (step % 97 == 0) {
				for (i = 0; i < WALK_KEYS; i++) {
					if (i % 2)
						snprintf(s, sizeof(s),
						    "2001:db8:%x:%x::", i,
						    i * 7);
					else
						snprintf(s, sizeof(s),
						    "10.%u.%u.1", i / 256,
						    i % 256);
					if (i % 2)
						key6(&k, s);
					else
						key4(&k, s);
					assert_int_equal(addrcount_get(ac, &k),
					    model[i]);
				}
			}
		}
		addrcount_free(ac);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
