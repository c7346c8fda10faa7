/*
 * Tests of pg's pure parts: the secrets of a URI taken out of libpq's
 * messages about it, what each SQLSTATE asks the store to do, the
 * migrations compiled in, the text form of COPY's rows, and SQLite's
 * parameters written as PostgreSQL's; and a server that lets a client in
 * and then never answers (a fake one, on a Unix socket): with every
 * connection watched (pg_watch_all), the first statement fails in
 * bounded time instead of waiting for ever.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>

#include "common/buf.h"
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

static void
expect_row(const struct pg_field *f, size_t n, const char *want,
    size_t wantlen)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(pg_copy_format(&b, f, n), 0);
	assert_int_equal(b.len, wantlen);
	assert_memory_equal(b.data, want, wantlen);
	buf_release(&b);
}

#define ROW(want)	want, sizeof(want) - 1

static void
test_copy_format(void **state)
{
	static const unsigned char blob[] = { 0x00, 0x5c, 0x0a, 0xff };
	struct pg_field f[4];
	struct buf b;

	(void)state;
	/* Text: the four bytes COPY gives a meaning to, escaped; the rest,
	 * UTF-8 and other control characters, as they are. */
	f[0] = (struct pg_field){ "a\tb\nc\\d\re", 9, 0 };
	f[1] = (struct pg_field){ NULL, 0, 0 };
	f[2] = (struct pg_field){ "", 0, 0 };
	f[3] = (struct pg_field){ "\\N \xc3\xa9\x01", 6, 0 };
	expect_row(f, 4,
	    ROW("a\\tb\\nc\\\\d\\re\t\\N\t\t\\\\N \xc3\xa9\x01\n"));
	/* One column; a number is its text. */
	f[0] = (struct pg_field){ "42", 2, 0 };
	expect_row(f, 1, ROW("42\n"));
	/* bytea: hex, its backslash escaped; an empty one is no NULL. */
	f[0] = (struct pg_field){ blob, sizeof(blob), 1 };
	f[1] = (struct pg_field){ "", 0, 1 };
	f[2] = (struct pg_field){ NULL, 0, 1 };
	expect_row(f, 3, ROW("\\\\x005c0aff\t\\\\x\t\\N\n"));
	/* A buffer at its cap fails. */
	buf_init(&b, 4);
	f[0] = (struct pg_field){ "abcdef", 6, 0 };
	assert_int_equal(pg_copy_format(&b, f, 1), -1);
	buf_release(&b);
}

static void
test_quote_ident(void **state)
{
	char *q;

	(void)state;
	q = pg_quote_ident("hits");
	assert_string_equal(q, "\"hits\"");
	free(q);
	q = pg_quote_ident("a\"b");
	assert_string_equal(q, "\"a\"\"b\"");
	free(q);
}

static void
expect_translate(const char *sql, const char *want, int wantn)
{
	int n = -1;
	char *got = pg_sql_translate(sql, &n);

	assert_string_equal(got, want);
	assert_int_equal(n, wantn);
	free(got);
}

static void
test_sql_translate(void **state)
{
	(void)state;
	expect_translate("SELECT 1", "SELECT 1", 0);
	expect_translate("SELECT a FROM t WHERE b = ?1 AND c >= ?1 OR d < ?12",
	    "SELECT a FROM t WHERE b = $1 AND c >= $1 OR d < $12", 12);
	/* A bare ? is one more than the largest number before it. */
	expect_translate("VALUES (?, ?, ?5, ?)", "VALUES ($1, $2, $5, $6)", 6);
	/* Not inside strings, quoted identifiers or comments; a doubled
	 * quote stays inside its string. */
	expect_translate("SELECT '?1', 'it''s ?', \"a?\" FROM t -- ?2\n"
	    "WHERE x = ?2 /* ?3 */",
	    "SELECT '?1', 'it''s ?', \"a?\" FROM t -- ?2\n"
	    "WHERE x = $2 /* ?3 */", 2);
	/* An unterminated string or comment runs to the end. */
	expect_translate("SELECT 'a?", "SELECT 'a?", 0);
	expect_translate("SELECT ?1 /* ?", "SELECT $1 /* ?", 1);
}

/* The fake server: lets one client in (trust), then reads and never
 * answers, until the client goes. */
static void *
silent_server(void *arg)
{
	static const unsigned char hello[] = {
		'R', 0, 0, 0, 8, 0, 0, 0, 0,		/* AuthenticationOk */
		'K', 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 2, /* BackendKeyData */
		'Z', 0, 0, 0, 5, 'I',			/* ReadyForQuery */
	};
	int ls = *(int *)arg, c;
	unsigned char len[4], buf[1024];
	size_t need;
	ssize_t n;

	if ((c = accept(ls, NULL, NULL)) == -1)
		return NULL;
	/* The startup message: its length, then the rest. */
	if (read(c, len, 4) == 4) {
		need = ((size_t)len[0] << 24 | (size_t)len[1] << 16 |
		    (size_t)len[2] << 8 | len[3]) - 4;
		while (need > 0 && (n = read(c, buf, need < sizeof(buf) ?
		    need : sizeof(buf))) > 0)
			need -= (size_t)n;
		if (write(c, hello, sizeof(hello)) == (ssize_t)sizeof(hello))
			while (read(c, buf, sizeof(buf)) > 0)
				;
	}
	close(c);
	return NULL;
}

static void
test_watch_all_silent(void **state)
{
	char dir[] = "/tmp/chorus-test-pg.XXXXXX", uri[160];
	struct sockaddr_un sa;
	pthread_t t;
	struct pg *pg;
	int ls;

	(void)state;
	assert_non_null(mkdtemp(dir));
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/.s.PGSQL.5432", dir);
	assert_true((ls = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ls, 1), 0);
	assert_int_equal(pthread_create(&t, NULL, silent_server, &ls), 0);
	snprintf(uri, sizeof(uri), "postgresql://u@/d?host=%s&port=5432",
	    dir);
	/* Without the watch this waits for ever: the test's bound. */
	alarm(30);
	pg_watch_all(300);
	pg = pg_connect(uri, 0);
	assert_non_null(pg);
	assert_int_equal(pg_schema_version(pg), -1);
	pg_watch_all(0);
	alarm(0);
	pg_close(pg);
	pthread_join(t, NULL);
	close(ls);
	unlink(sa.sun_path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_migrations),
		cmocka_unit_test(test_copy_format),
		cmocka_unit_test(test_quote_ident),
		cmocka_unit_test(test_sql_translate),
		cmocka_unit_test(test_watch_all_silent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
