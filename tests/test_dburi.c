/*
 * Tests of dburi: which values of chorus.database name a PostgreSQL store,
 * and every secret of such a URI redacted, wherever libpq would read one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/dburi.h"

static void
test_uri_is(void **state)
{
	(void)state;
	assert_true(dburi_is_pg("postgresql://db.example.com/chorus"));
	assert_true(dburi_is_pg("postgres:///chorus?host=/run/postgresql"));
	assert_false(dburi_is_pg("chorus.db"));
	assert_false(dburi_is_pg("/var/lib/chorus/postgresql://x"));
	assert_false(dburi_is_pg("postgresql:/x"));
	assert_false(dburi_is_pg(""));
}

static void
expect_redact(const char *uri, const char *want)
{
	char *got = dburi_redact(uri);

	assert_string_equal(got, want);
	free(got);
}

static void
test_redact(void **state)
{
	(void)state;
	expect_redact("postgresql://chorus:s3cret@db.example.com:5432/chorus",
	    "postgresql://chorus:xxxxx@db.example.com:5432/chorus");
	expect_redact("postgresql://chorus@db/chorus",
	    "postgresql://chorus@db/chorus");
	expect_redact("postgresql://db/chorus", "postgresql://db/chorus");
	/* The first ':' splits user and password; the password may hold
	 * ':', and '@' percent-encoded. */
	expect_redact("postgresql://u:a:b%40c@h/d", "postgresql://u:xxxxx@h/d");
	expect_redact("postgresql://u:@h/d", "postgresql://u:xxxxx@h/d");
	expect_redact("postgresql:///chorus?host=/tmp/x&password=pw&user=u",
	    "postgresql:///chorus?host=/tmp/x&password=xxxxx&user=u");
	expect_redact("postgres://h/d?sslpassword=k1&password=p2",
	    "postgres://h/d?sslpassword=xxxxx&password=xxxxx");
	expect_redact("postgresql://u:p@h/d?password=q",
	    "postgresql://u:xxxxx@h/d?password=xxxxx");
	/* A '@' after the path is not user info. */
	expect_redact("postgresql://h/d?application_name=a@b",
	    "postgresql://h/d?application_name=a@b");
	/* A file name is shown as it is. */
	expect_redact("/var/lib/chorus/chorus.db", "/var/lib/chorus/chorus.db");
}

/* In place, the length kept: a URI in argv loses its secrets. */
static void
test_scrub(void **state)
{
	char a[] = "postgresql://chorus:s3cret@db/chorus?sslpassword=k%20y&"
	    "connect_timeout=2";
	char b[] = "postgresql://chorus@db/chorus?password=p";
	char f[] = "/var/lib/chorus/chorus:s3cret@x.db";

	(void)state;
	dburi_scrub(a);
	assert_string_equal(a, "postgresql://chorus:xxxxxx@db/chorus?"
	    "sslpassword=xxxxx&connect_timeout=2");
	dburi_scrub(b);
	assert_string_equal(b, "postgresql://chorus@db/chorus?password=x");
	dburi_scrub(f);
	assert_string_equal(f, "/var/lib/chorus/chorus:s3cret@x.db");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_is),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_scrub),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
