/*
 * Tests of dburi: which values of chorus.database name a PostgreSQL store,
 * and every secret of such a URI redacted, wherever libpq would read one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* Names percent-encoded, as libpq decodes them, and more secrets than
 * the spans: none is left. */
static void
test_scrub_hidden(void **state)
{
	char a[] = "postgresql://u@h/db?pass%77ord=TOPSECRET&ssl%70assword=K2";
	char b[512];
	char *r;
	int i;

	(void)state;
	r = dburi_redact(a);
	assert_string_equal(r, "postgresql://u@h/db?pass%77ord=xxxxx&"
	    "ssl%70assword=xxxxx");
	free(r);
	dburi_scrub(a);
	assert_null(strstr(a, "TOPSECRET"));
	assert_null(strstr(a, "K2"));
	snprintf(b, sizeof(b), "postgresql://u:pw0@h/db?");
	for (i = 1; i <= 12; i++)
		snprintf(b + strlen(b), sizeof(b) - strlen(b),
		    "password=SEC%02d&", i);
	strcat(b, "connect_timeout=2");
	r = dburi_redact(b);
	assert_null(strstr(r, "SEC"));
	assert_null(strstr(r, "pw0"));
	assert_non_null(strstr(r, "connect_timeout=2"));
	free(r);
	dburi_scrub(b);
	assert_null(strstr(b, "SEC"));
	assert_null(strstr(b, "pw0"));
	assert_non_null(strstr(b, "connect_timeout=2"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_is),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_scrub_hidden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
