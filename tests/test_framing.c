/* Tests of the framing checks: every ambiguity RFC 9112 asks a server to
 * refuse, and the requests real clients send, which must pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "redirector/framing.h"

#define CAP	4096

/* A request's fields, "Name: value" lines; the value is what follows the
 * colon, with its leading whitespace, as it would be read. */
static enum framing_status
verdict(const char *version, const char *const *fields, uint64_t *length)
{
	struct framing f;
	const char *colon;
	size_t i;

	framing_start(&f, version);
	for (i = 0; fields[i] != NULL; i++) {
		colon = strchr(fields[i], ':');
		assert_non_null(colon);
		framing_field(&f, fields[i], (size_t)(colon - fields[i]),
		    colon + 1, strlen(colon + 1));
	}
	return framing_end(&f, CAP, length);
}

#define V11(...) verdict("HTTP/1.1", (const char *const[]){ __VA_ARGS__, NULL }, NULL)
#define V10(...) verdict("HTTP/1.0", (const char *const[]){ __VA_ARGS__, NULL }, NULL)

static void
test_plain(void **state)
{
	uint64_t len = 99;

	(void)state;
	assert_int_equal(verdict("HTTP/1.1",
	    (const char *const[]){ "Host: go.example.com", "User-Agent: x",
	    NULL }, &len), FRAMING_OK);
	assert_int_equal(len, 0);
	assert_int_equal(verdict("HTTP/1.1",
	    (const char *const[]){ "Host: go.example.com:8080",
	    "Content-Length: 26", NULL }, &len), FRAMING_OK);
	assert_int_equal(len, 26);
	assert_int_equal(V11("host: [::1]:80"), FRAMING_OK);
	assert_int_equal(V11("HOST: 127.0.0.1"), FRAMING_OK);
	/* an empty Host is what a target without authority asks for */
	assert_int_equal(V11("Host:"), FRAMING_OK);
	assert_int_equal(V11("Host: x", "Content-Length: 0"), FRAMING_OK);
	assert_int_equal(V11("Host: x", "Content-Length: 4096"), FRAMING_OK);
	assert_int_equal(V11("Host: x", "Content-Length: 0004096"),
	    FRAMING_OK);
	/* the whitespace around a value is not part of it */
	assert_int_equal(V11("Host: x ", "Content-Length:\t3\t"), FRAMING_OK);
	assert_int_equal(V11("Host: x", "Expect: 100-continue",
	    "Content-Length: 10"), FRAMING_OK);
	assert_int_equal(V11("Host: x", "Expect: 100-Continue"), FRAMING_OK);
	/* values past ASCII are a client's business */
	assert_int_equal(V11("Host: x", "User-Agent: caf\xc3\xa9 \xff"),
	    FRAMING_OK);
}

static void
test_host(void **state)
{
	(void)state;
	assert_int_equal(V11("User-Agent: x"), FRAMING_BAD);
	assert_int_equal(V11("Host: a", "Host: a"), FRAMING_BAD);
	assert_int_equal(V11("Host: a", "host: b"), FRAMING_BAD);
	assert_int_equal(V11("Host: a b"), FRAMING_BAD);
	assert_int_equal(V11("Host: a/b"), FRAMING_BAD);
	assert_int_equal(V11("Host: user@a"), FRAMING_BAD);
	assert_int_equal(V11("Host: a?b"), FRAMING_BAD);
	/* HTTP/1.0 needs Host too (the SPEC), and not two */
	assert_int_equal(V10("User-Agent: x"), FRAMING_BAD);
	assert_int_equal(V10("Host: a"), FRAMING_OK);
	assert_int_equal(V10("Host: a", "Host: b"), FRAMING_BAD);
	/* any other version needs Host */
	assert_int_equal(verdict("HTTP/1.2",
	    (const char *const[]){ "User-Agent: x", NULL }, NULL),
	    FRAMING_BAD);
}

static void
test_length(void **state)
{
	static const char *const bad[] = {
		"Content-Length: -1", "Content-Length: +3",
		"Content-Length: 0x3", "Content-Length: 3, 3",
		"Content-Length: 3 3", "Content-Length:", "Content-Length: ",
		"Content-Length: 3a", "Content-Length: 1e3",
		"Content-Length: 3.0", "Content-Length: \"3\"",
		"Content-Length: 99999999999999999999x",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(V11("Host: x", bad[i]), FRAMING_BAD);
	/* two lengths, equal or not, in either order */
	assert_int_equal(V11("Host: x", "Content-Length: 3",
	    "Content-Length: 30"), FRAMING_BAD);
	assert_int_equal(V11("Content-Length: 3", "Host: x",
	    "content-length: 3"), FRAMING_BAD);
	/* over the cap: refused before the body is read */
	assert_int_equal(V11("Host: x", "Content-Length: 4097"),
	    FRAMING_TOO_LARGE);
	assert_int_equal(V11("Host: x", "Content-Length: 1000000000"),
	    FRAMING_TOO_LARGE);
	assert_int_equal(V11("Host: x",
	    "Content-Length: 18446744073709551615"), FRAMING_TOO_LARGE);
	assert_int_equal(V11("Host: x",
	    "Content-Length: 18446744073709551616"), FRAMING_TOO_LARGE);
	assert_int_equal(V11("Host: x",
	    "Content-Length: 99999999999999999999999"), FRAMING_TOO_LARGE);
	assert_int_equal(V11("Host: x", "Content-Length: 5000",
	    "Expect: 100-continue"), FRAMING_TOO_LARGE);
}

static void
test_coding(void **state)
{
	(void)state;
	assert_int_equal(V11("Host: x", "Content-Length: 3",
	    "Transfer-Encoding: chunked"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", "Transfer-Encoding: chunked",
	    "Content-Length: 3"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", "Transfer-Encoding: chunked"),
	    FRAMING_NO_LENGTH);
	assert_int_equal(V11("Host: x", "Transfer-Encoding: gzip, chunked"),
	    FRAMING_NO_LENGTH);
	assert_int_equal(V11("Host: x", "transfer-encoding: identity"),
	    FRAMING_NO_LENGTH);
	/* ambiguity outranks the rest */
	assert_int_equal(V11("Transfer-Encoding: chunked"), FRAMING_BAD);
}

static void
test_names_values(void **state)
{
	(void)state;
	/* whitespace before the colon stays in the name */
	assert_int_equal(V11("Host: x", "Content-Length : 3"), FRAMING_BAD);
	assert_int_equal(V11("Host : x"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", "X-A\t: 1"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", ": empty name"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", "X(A): 1"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", "X\xc3\xa9: 1"), FRAMING_BAD);
	/* controls in a value: bare CR, ESC, DEL */
	assert_int_equal(V11("Host: x", "User-Agent: a\rb"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", "User-Agent: \x1b[31m"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", "User-Agent: a\x7f"), FRAMING_BAD);
	assert_int_equal(V11("Host: x", "User-Agent: a\tb"), FRAMING_OK);
	assert_int_equal(V11("Host: x", "X-Token-Chars!#$%&'*+-.^_`|~: 1"),
	    FRAMING_OK);
}

static void
test_expect(void **state)
{
	(void)state;
	assert_int_equal(V11("Host: x", "Expect: 200-ok"), FRAMING_EXPECT);
	assert_int_equal(V11("Host: x", "Expect: 100-continue, x"),
	    FRAMING_EXPECT);
	assert_int_equal(V11("Host: x", "Expect:"), FRAMING_EXPECT);
	/* a worse fault wins */
	assert_int_equal(V11("Expect: x"), FRAMING_BAD);
}

static void
test_line(void **state)
{
	(void)state;
	assert_int_equal(framing_method("GET", 3), 0);
	assert_int_equal(framing_method("M-SEARCH", 8), 0);
	assert_int_equal(framing_method("", 0), -1);
	assert_int_equal(framing_method("GE\0T", 4), -1);
	assert_int_equal(framing_method("G(T", 3), -1);
	assert_int_equal(framing_target("/Lk1aaaaaaa", 11), 0);
	assert_int_equal(framing_target("/a?b=%20&c", 10), 0);
	assert_int_equal(framing_target("http://x/", 9), 0);
	assert_int_equal(framing_target("/caf\xc3\xa9", 6), 0);
	assert_int_equal(framing_target("", 0), -1);
	assert_int_equal(framing_target("/a b", 4), -1);
	assert_int_equal(framing_target("/a\tb", 4), -1);
	assert_int_equal(framing_target("/a\0b", 4), -1);
	assert_int_equal(framing_target("/a\x7f", 3), -1);
	assert_int_equal(framing_target("/a\r", 3), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_coding),
		cmocka_unit_test(test_names_values),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
