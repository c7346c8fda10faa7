/* Tests of the UTM merge: every shape of URL a post can have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "redirector/utm.h"

#define M "utm_medium=employee_advocacy"

static const struct {
	const char	*url, *network, *id, *want;
} cases[] = {
	/* no query */
	{ "https://ex.com/a", "linkedin", "p1",
	  "https://ex.com/a?utm_source=linkedin&" M "&utm_campaign=p1" },
	{ "https://ex.com", "x", "p1",
	  "https://ex.com?utm_source=x&" M "&utm_campaign=p1" },
	{ "https://ex.com/", "facebook", "p1",
	  "https://ex.com/?utm_source=facebook&" M "&utm_campaign=p1" },
	/* empty query */
	{ "https://ex.com/a?", "x", "p1",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=p1" },
	/* trailing '&' is not doubled */
	{ "https://ex.com/a?b=1&", "x", "p1",
	  "https://ex.com/a?b=1&utm_source=x&" M "&utm_campaign=p1" },
	/* query kept */
	{ "https://ex.com/a?b=1&c=2", "x", "p1",
	  "https://ex.com/a?b=1&c=2&utm_source=x&" M "&utm_campaign=p1" },
	/* fragment only: tags go before it */
	{ "https://ex.com/a#top", "x", "p1",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=p1#top" },
	{ "https://ex.com/a#", "x", "p1",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=p1#" },
	/* query and fragment */
	{ "https://ex.com/a?b=1#sec-2", "x", "p1",
	  "https://ex.com/a?b=1&utm_source=x&" M "&utm_campaign=p1#sec-2" },
	{ "https://ex.com/a?#f", "x", "p1",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=p1#f" },
	/* a '?' inside the fragment is not a query */
	{ "https://ex.com/a#f?b=1", "x", "p1",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=p1#f?b=1" },
	/* a second '?' belongs to the query */
	{ "https://ex.com/a?b=?c", "x", "p1",
	  "https://ex.com/a?b=?c&utm_source=x&" M "&utm_campaign=p1" },
	/* existing utm_ keys win, the rest is added */
	{ "https://ex.com/a?utm_source=news", "linkedin", "p1",
	  "https://ex.com/a?utm_source=news&" M "&utm_campaign=p1" },
	{ "https://ex.com/a?utm_campaign=spring#x", "linkedin", "p1",
	  "https://ex.com/a?utm_campaign=spring&utm_source=linkedin&" M "#x" },
	{ "https://ex.com/a?utm_medium=email&z=1", "x", "p1",
	  "https://ex.com/a?utm_medium=email&z=1&utm_source=x&utm_campaign=p1" },
	{ "https://ex.com/a?utm_source=a&utm_medium=b&utm_campaign=c", "x",
	  "p1", "https://ex.com/a?utm_source=a&utm_medium=b&utm_campaign=c" },
	{ "https://ex.com/a?utm_source=a&utm_medium=b&utm_campaign=c#f", "x",
	  "p1", "https://ex.com/a?utm_source=a&utm_medium=b&utm_campaign=c#f" },
	/* a key without a value is present */
	{ "https://ex.com/a?utm_source", "x", "p1",
	  "https://ex.com/a?utm_source&" M "&utm_campaign=p1" },
	/* an empty value is present too */
	{ "https://ex.com/a?utm_source=", "x", "p1",
	  "https://ex.com/a?utm_source=&" M "&utm_campaign=p1" },
	/* look-alike keys are not ours */
	{ "https://ex.com/a?xutm_source=1&utm_sourcex=2&UTM_SOURCE=3", "x",
	  "p1", "https://ex.com/a?xutm_source=1&utm_sourcex=2&UTM_SOURCE=3"
	  "&utm_source=x&" M "&utm_campaign=p1" },
	/* other utm_ keys are kept and do not count */
	{ "https://ex.com/a?utm_term=t&utm_content=c", "x", "p1",
	  "https://ex.com/a?utm_term=t&utm_content=c&utm_source=x&" M
	  "&utm_campaign=p1" },
	/* encoded characters in the URL are copied as they are */
	{ "https://ex.com/caf%C3%A9?q=a%20b&r=%26#%2F", "x", "p1",
	  "https://ex.com/caf%C3%A9?q=a%20b&r=%26&utm_source=x&" M
	  "&utm_campaign=p1#%2F" },
	/* post ids are percent-encoded */
	{ "https://ex.com/a", "x", "spring launch",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=spring%20launch" },
	{ "https://ex.com/a", "x", "a&b=c",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=a%26b%3Dc" },
	{ "https://ex.com/a", "x", "#1?",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=%231%3F" },
	{ "https://ex.com/a", "x", "caf\xc3\xa9",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=caf%C3%A9" },
	{ "https://ex.com/a", "x", "a+b/c%d",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=a%2Bb%2Fc%25d" },
	{ "https://ex.com/a", "x", "A-z_0.9~",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=A-z_0.9~" },
	{ "https://ex.com/a", "x", "",
	  "https://ex.com/a?utm_source=x&" M "&utm_campaign=" },
	/* ports, user info and IPv6 hosts are left alone */
	{ "http://[::1]:8080/p?x=1", "x", "p1",
	  "http://[::1]:8080/p?x=1&utm_source=x&" M "&utm_campaign=p1" },
};

static void
test_cases(void **state)
{
	char out[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(utm_build(out, sizeof(out), cases[i].url,
		    cases[i].network, cases[i].id), 0);
		assert_string_equal(out, cases[i].want);
		assert_true(strlen(out) < utm_size(cases[i].url,
		    cases[i].network, cases[i].id));
	}
}

/* Every buffer size below the need fails cleanly; the exact one works. */
static void
test_sizes(void **state)
{
	const char *url = "https://ex.com/a?b=1#f", *want =
	    "https://ex.com/a?b=1&utm_source=x&" M "&utm_campaign=a%20b#f";
	char out[256];
	size_t n, need = strlen(want) + 1;

	(void)state;
	assert_true(utm_size(url, "x", "a b") >= need);
	for (n = 0; n < need; n++) {
		memset(out, 'Z', sizeof(out));
		assert_int_equal(utm_build(out, n, url, "x", "a b"), -1);
		if (n > 0)
			assert_int_equal(out[0], '\0');
		/* nothing is written past the size given */
		assert_int_equal(out[n], 'Z');
	}
	assert_int_equal(utm_build(out, need, url, "x", "a b"), 0);
	assert_string_equal(out, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
