/*
 * Tests of pg's pure parts: the secrets of a URI taken out of libpq's
 * messages about it, what each SQLSTATE asks the store to do, and the
 * migrations compiled in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/migrations.h"
#include "db/pg.h"

static void
expect_scrub(const char *msg, const char *uri, const char *want)
{
	char *got = pg_scrub(msg, uri);

	assert_string_equal(got, want);
	free(got);
}

static void
test_scrub(void **state)
{
	(void)state;
	/* libpq quotes a URI it cannot parse whole. */
	expect_scrub("end of string reached when looking for matching \"]\" "
	    "in IPv6 host address in URI: \"postgresql://u:pw@[::1/d\"\n",
	    "postgresql://u:pw@[::1/d",
	    "end of string reached when looking for matching \"]\" in IPv6 "
	    "host address in URI: \"postgresql://u:xxxxx@[::1/d\"");
	/* A part of it, or the password decoded. */
	expect_scrub("invalid percent-encoded token: \"p%zzw\"",
	    "postgresql://u:p%zzw@h/d",
	    "invalid percent-encoded token: \"xxxxx\"");
	expect_scrub("bad value 'a@b:c'", "postgresql://u:a%40b%3Ac@h/d",
	    "bad value 'xxxxx'");
	/* Several lines become one. */
	expect_scrub("connection to server failed: FATAL:  no such role\n"
	    "second line\n", "postgresql://h/d",
	    "connection to server failed: FATAL:  no such role second line");
	expect_scrub("", "postgresql://h/d", "");
}

static void
test_classify(void **state)
{
	(void)state;
	assert_int_equal(pg_classify("40001", 0), PG_RETRY);
	assert_int_equal(pg_classify("40P01", 0), PG_RETRY);
	assert_int_equal(pg_classify("08006", 0), PG_RETRY);
	assert_int_equal(pg_classify("08001", 0), PG_RETRY);
	assert_int_equal(pg_classify("57P01", 0), PG_RETRY);
	assert_int_equal(pg_classify("53300", 0), PG_RETRY);
	assert_int_equal(pg_classify("23505", 0), PG_UNIQUE);
	assert_int_equal(pg_classify("23503", 0), PG_CONSTRAINT);
	assert_int_equal(pg_classify("23514", 0), PG_CONSTRAINT);
	assert_int_equal(pg_classify("42P01", 0), PG_ERROR);
	assert_int_equal(pg_classify("40002", 0), PG_ERROR);
	assert_int_equal(pg_classify("55P03", 0), PG_ERROR);
	assert_int_equal(pg_classify("08", 0), PG_ERROR);
	assert_int_equal(pg_classify(NULL, 0), PG_ERROR);
	/* A connection gone is worth another try, whatever the code. */
	assert_int_equal(pg_classify(NULL, 1), PG_RETRY);
	assert_int_equal(pg_classify("42P01", 1), PG_RETRY);
}

/* Both stores count the same migrations: version n is the n-th file. */
static void
test_migrations(void **state)
{
	size_t i;

	(void)state;
	assert_true(npg_migrations > 0);
	for (i = 0; i < npg_migrations; i++) {
		assert_int_equal(pg_migrations[i].version, (int)i + 1);
		assert_non_null(pg_migrations[i].sql);
	}
	assert_int_equal(pg_current_version(),
	    pg_migrations[npg_migrations - 1].version);
	/* Fails when an SQLite migration has no db/migrations/pg/ twin
	 * (tests/e2e/pg_schema.sh names it). */
	assert_int_equal(npg_migrations, nmigrations);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_migrations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
