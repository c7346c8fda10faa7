/*
 * Tests of random: codes keep the slice they are asked to keep and draw
 * the rest, are told apart from anything else by their form (both
 * lengths), and every base62 character comes out of the draw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/random.h"

static void
test_code_slice(void **state)
{
	char a[RAND_CODE_LEN + 1], b[RAND_CODE_LEN + 1];
	int i, same = 0;

	(void)state;
	rand_code(a, NULL);
	assert_int_equal(strlen(a), RAND_CODE_LEN);
	assert_true(rand_is_code(a));
	for (i = 0; i < 100; i++) {
		rand_code(b, a);
		assert_true(rand_is_code(b));
		assert_memory_equal(a, b, RAND_CODE_SLICE);
		same += strcmp(a, b) == 0;
	}
	/* 59.5 random bits after the slice: never the same twice here. */
	assert_int_equal(same, 0);
	/* In place: out may be the slice it keeps. */
	memcpy(b, a, sizeof(a));
	rand_code(b, b);
	assert_memory_equal(a, b, RAND_CODE_SLICE);
	assert_true(strcmp(a + RAND_CODE_SLICE, b + RAND_CODE_SLICE) != 0);
}

static void
test_code_slices_differ(void **state)
{
	char a[RAND_CODE_LEN + 1];
	static char seen[128 * 128];
	int i, k, distinct = 0;

	(void)state;
	for (i = 0; i < 200; i++) {
		rand_code(a, NULL);
		k = (a[0] & 127) * 128 + (a[1] & 127);
		distinct += !seen[k];
		seen[k] = 1;
	}
	/* 200 draws over 3,844 slices: a fixed slice would give 1. */
	assert_true(distinct > 150);
}

static void
test_is_code(void **state)
{
	(void)state;
	assert_true(rand_is_code("Ab3dEf7hJk9m"));	/* 12: now */
	assert_true(rand_is_code("Ab3dEf7hJk"));	/* 10: before slices */
	assert_false(rand_is_code(""));
	assert_false(rand_is_code("Ab3dEf7hJ"));
	assert_false(rand_is_code("Ab3dEf7hJk9"));
	assert_false(rand_is_code("Ab3dEf7hJk9mN"));
	assert_false(rand_is_code("Ab3dEf7hJk9-"));
	assert_false(rand_is_code("Ab3dEf7hJk/m"));
	assert_false(rand_is_code("Ab3dEf7hJ%41"));
	assert_false(rand_is_code("Ab3dEf7hJk9m/"));
}

static void
test_base62_alphabet(void **state)
{
	char out[4097], seen[128];
	size_t i;
	int n = 0;

	(void)state;
	rand_base62(out, sizeof(out) - 1);
	assert_int_equal(strlen(out), sizeof(out) - 1);
	assert_true(rand_is_base62(out, sizeof(out) - 1));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < sizeof(out) - 1; i++)
		seen[(unsigned char)out[i] & 127] = 1;
	for (i = 0; i < sizeof(seen); i++)
		n += seen[i];
	/* 4,096 draws: each of 62 characters missing has odds of 1e-28. */
	assert_int_equal(n, 62);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_slice),
		cmocka_unit_test(test_code_slices_differ),
		cmocka_unit_test(test_is_code),
		cmocka_unit_test(test_base62_alphabet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
