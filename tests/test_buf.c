/* Tests of buf: the cap holds, a failed append changes nothing, printf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"

static void
test_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	buf_reset(&b);		/* before any allocation */
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_add(&b, "", 0), 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_release(&b);
	buf_release(&b);	/* twice is harmless */
	assert_null(b.data);
}

static void
test_append(void **state)
{
	struct buf b;
	char *p;
	int i;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_adds(&b, "abc"), 0);
	assert_int_equal(buf_addc(&b, 'd'), 0);
	assert_int_equal(buf_add(&b, "efgh", 2), 0);
	assert_string_equal(buf_cstr(&b), "abcdef");
	assert_int_equal(b.len, 6);
	/* Growth past the first allocation keeps the contents. */
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_addc(&b, (char)('0' + i % 10)), 0);
	assert_int_equal(b.len, 1006);
	assert_int_equal(strlen(buf_cstr(&b)), 1006);
	assert_true(memcmp(buf_cstr(&b), "abcdef0123456789", 16) == 0);
	/* reset keeps the memory, empties the string */
	p = b.data;
	buf_reset(&b);
	assert_string_equal(buf_cstr(&b), "");
	assert_true(b.data == p);
	/* detach hands over the memory and empties the buffer */
	buf_adds(&b, "xyz");
	p = buf_detach(&b);
	assert_string_equal(p, "xyz");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(p);
	/* detach of an empty buffer still gives a string */
	p = buf_detach(&b);
	assert_string_equal(p, "");
	free(p);
	buf_release(&b);
}

static void
test_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345"), 0);
	/* Past the cap: refused, and the buffer is unchanged. */
	assert_int_equal(buf_adds(&b, "6789"), -1);
	assert_string_equal(buf_cstr(&b), "12345");
	assert_int_equal(b.len, 5);
	assert_int_equal(buf_printf(&b, "%d", 1234), -1);
	assert_string_equal(buf_cstr(&b), "12345");
	/* Up to the cap exactly is fine; then not one byte more. */
	assert_int_equal(buf_adds(&b, "678"), 0);
	assert_string_equal(buf_cstr(&b), "12345678");
	assert_int_equal(buf_addc(&b, 'x'), -1);
	assert_int_equal(buf_add(&b, "", 0), 0);
	assert_string_equal(buf_cstr(&b), "12345678");
	assert_true(b.cap <= 9);
	/* A huge length cannot wrap around the check. */
	assert_int_equal(buf_add(&b, "x", SIZE_MAX), -1);
	assert_int_equal(buf_add(&b, "x", SIZE_MAX - 3), -1);
	assert_string_equal(buf_cstr(&b), "12345678");
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, "abcdefgh"), 0);
	buf_release(&b);

	/* A cap of 1 byte. */
	buf_init(&b, 1);
	assert_int_equal(buf_adds(&b, "ab"), -1);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_addc(&b, 'a'), 0);
	assert_int_equal(buf_addc(&b, 'b'), -1);
	assert_string_equal(buf_cstr(&b), "a");
	buf_release(&b);
}

static void
test_printf(void **state)
{
	struct buf b;
	char big[300];

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_printf(&b, "%s=%d", "n", 42), 0);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(buf_printf(&b, ",%05.1f", 2.25), 0);
	assert_string_equal(buf_cstr(&b), "n=42,002.2");
	assert_int_equal(b.len, strlen("n=42,002.2"));
	/* Longer than the first allocation, in one call. */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 10 + 2 + 299);
	assert_int_equal(buf_cstr(&b)[b.len - 1], ']');
	assert_int_equal(buf_cstr(&b)[b.len], '\0');
	buf_release(&b);

	/* printf that exactly fits the cap */
	buf_init(&b, 6);
	assert_int_equal(buf_printf(&b, "%d", 123456), 0);
	assert_string_equal(buf_cstr(&b), "123456");
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(buf_printf(&b, "%c", 'x'), -1);
	assert_string_equal(buf_cstr(&b), "123456");
	buf_release(&b);
}

/* buf_reserve: room made, contents kept, the cap still holds. */
static void
test_reserve(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(buf_reserve(&b, 10), 0);
	assert_non_null(b.data);
	assert_true(b.cap >= 11);
	assert_int_equal(b.len, 0);
	memcpy(b.data, "abc", 3);
	b.len = 3;
	b.data[b.len] = '\0';
	assert_int_equal(buf_reserve(&b, 13), 0);
	assert_string_equal(buf_cstr(&b), "abc");
	/* Past the cap: refused, unchanged. */
	assert_int_equal(buf_reserve(&b, 14), -1);
	assert_int_equal(buf_reserve(&b, SIZE_MAX), -1);
	assert_string_equal(buf_cstr(&b), "abc");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_reserve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
