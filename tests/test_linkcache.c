/* Tests of the link cache: a hit only at the generation stored, a miss for
 * another code (of either length), codes sharing a set all kept, long
 * Locations never stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "redirector/linkcache.h"

static void
test_get_put(void **state)
{
	struct linkcache *c = linkcache_new(100);
	struct linkcache_entry e, got;
	char code[LINKCACHE_CODE_MAX + 1];
	int i, hits = 0;

	(void)state;
	assert_int_equal(linkcache_get(c, "aaaaaaaaaa", 1, &got), 0);
	memset(&e, 0, sizeof(e));
	e.link_id = 7;
	e.gen = 3;
	strcpy(e.location, "https://example.com/?utm_source=x");
	linkcache_put(c, "aaaaaaaaaa", &e);
	assert_int_equal(linkcache_get(c, "aaaaaaaaaa", 3, &got), 1);
	assert_true(got.link_id == 7 && got.gen == 3);
	assert_string_equal(got.location, e.location);
	/* Another generation is a miss. */
	assert_int_equal(linkcache_get(c, "aaaaaaaaaa", 4, &got), 0);
	assert_int_equal(linkcache_get(c, "aaaaaaaaab", 3, &got), 0);
	/* Codes of both lengths: one is never taken for the other. */
	assert_int_equal(linkcache_get(c, "aaaaaaaaaaaa", 3, &got), 0);
	e.link_id = 8;
	linkcache_put(c, "aaaaaaaaaaaa", &e);
	assert_int_equal(linkcache_get(c, "aaaaaaaaaaaa", 3, &got), 1);
	assert_true(got.link_id == 8);
	assert_int_equal(linkcache_get(c, "aaaaaaaaaa", 3, &got), 1);
	assert_true(got.link_id == 7);
	/* A longer code is neither stored nor found, nor taken for its
	 * first 12 characters. */
	e.link_id = 9;
	linkcache_put(c, "aaaaaaaaaaaaa", &e);
	assert_int_equal(linkcache_get(c, "aaaaaaaaaaaaa", 3, &got), 0);
	assert_int_equal(linkcache_get(c, "aaaaaaaaaaaa", 3, &got), 1);
	assert_true(got.link_id == 8);

	/* Many codes into 128 slots: each get returns its own or nothing. */
	for (i = 0; i < 1000; i++) {
		snprintf(code, sizeof(code), "c%09d", i);
		e.link_id = i;
		snprintf(e.location, sizeof(e.location), "https://e.com/%d", i);
		linkcache_put(c, code, &e);
		/* What was put last is there, whichever way it took. */
		assert_int_equal(linkcache_get(c, code, 3, &got), 1);
		assert_true(got.link_id == i);
		assert_string_equal(got.location, e.location);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(code, sizeof(code), "c%09d", i);
		if (linkcache_get(c, code, 3, &got)) {
			hits++;
			assert_true(got.link_id == i);
		}
	}
	assert_true(hits > 0 && hits <= 128);
	linkcache_free(c);

	/* Far fewer codes than slots all stay, though some share a set
	 * (direct-mapped, 32 of these codes into 128 slots lost some). */
	c = linkcache_new(100);
	for (i = 0; i < 32; i++) {
		snprintf(code, sizeof(code), "%010x",
		    (unsigned)i * 2654435761u);
		e.link_id = i;
		snprintf(e.location, sizeof(e.location), "https://e.com/%d", i);
		linkcache_put(c, code, &e);
	}
	for (i = 0; i < 32; i++) {
		snprintf(code, sizeof(code), "%010x",
		    (unsigned)i * 2654435761u);
		assert_int_equal(linkcache_get(c, code, 3, &got), 1);
		assert_true(got.link_id == i);
	}

	/* A Location that does not fit is not kept. */
	memset(e.location, 'a', sizeof(e.location));
	e.location[sizeof(e.location) - 1] = 'b';
	linkcache_put(c, "zzzzzzzzzz", &e);
	assert_int_equal(linkcache_get(c, "zzzzzzzzzz", 3, &got), 0);
	linkcache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
