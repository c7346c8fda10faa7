/*
 * Tests of pgarr: the literals it builds, that a failed append fails the
 * whole literal rather than leaving an element out, and (with
 * CHORUS_TEST_PG_URI, tests/e2e/pg_units.sh) that PostgreSQL reads each
 * element back exactly as it went in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/db.h"
#include "db/pgarr.h"
#include "db/stmt.h"

/* Text that a literal must carry whole: quotes, backslashes, the
 * literal's own punctuation, spaces, the word NULL, nothing at all. */
static const char *const texts[] = {
	"plain", "", "say \"hi\"", "back\\slash", "a,b", "{braces}",
	"NULL", " spaced ", "\\\"", "\"", "\\", "ünïcode",
};
#define NTEXTS	(sizeof(texts) / sizeof(texts[0]))

static void
test_empty(void **state)
{
	struct pgarr a;

	(void)state;
	pgarr_init(&a);
	assert_string_equal(pgarr_end(&a), "{}");
	assert_string_equal(pgarr_end(&a), "{}");	/* once */
	pgarr_release(&a);
}

static void
test_ints(void **state)
{
	struct pgarr a;

	(void)state;
	pgarr_init(&a);
	pgarr_int(&a, 0);
	pgarr_int(&a, -1);
	pgarr_int(&a, 42);
	pgarr_int(&a, INT64_MIN);
	pgarr_int(&a, INT64_MAX);
	pgarr_null(&a);
	assert_string_equal(pgarr_end(&a), "{0,-1,42,-9223372036854775808,"
	    "9223372036854775807,NULL}");
	pgarr_release(&a);
}

static void
test_text(void **state)
{
	struct pgarr a;

	(void)state;
	pgarr_init(&a);
	pgarr_text(&a, "plain");
	pgarr_text(&a, "");
	pgarr_text(&a, "say \"hi\"");
	pgarr_text(&a, "back\\slash");
	pgarr_text(&a, "a,b");
	pgarr_text(&a, NULL);
	pgarr_text(&a, "NULL");
	assert_string_equal(pgarr_end(&a), "{\"plain\",\"\",\"say \\\"hi\\\"\","
	    "\"back\\\\slash\",\"a,b\",NULL,\"NULL\"}");
	pgarr_release(&a);
}

static void
test_bytea(void **state)
{
	static const unsigned char v[] = { 0x00, 0xff, 0x1a, 0xb2 };
	struct pgarr a;

	(void)state;
	pgarr_init(&a);
	pgarr_bytea(&a, v, sizeof(v));
	pgarr_bytea(&a, v, 0);
	assert_string_equal(pgarr_end(&a), "{\"\\\\x00ff1ab2\",\"\\\\x\"}");
	pgarr_release(&a);
}

/* An element that does not fit fails the literal, even when the ones
 * after it would fit: a literal is never bound with one left out. */
static void
test_failure_sticks(void **state)
{
	struct pgarr a;

	(void)state;
	pgarr_init(&a);
	a.b.max = 12;		/* room for "{1," and a little */
	pgarr_int(&a, 1);
	pgarr_text(&a, "far too long to fit");
	pgarr_int(&a, 2);
	assert_null(pgarr_end(&a));
	pgarr_release(&a);
}

/* PostgreSQL reads every element back as it went in, in its order. */
static void
test_server_reads_back(void **state)
{
	static const unsigned char bytes[] = { 0x00, 0x5c, 0x22, 0xff };
	const char *uri = getenv("CHORUS_TEST_PG_URI");
	struct pgarr t, b, n;
	const char *lt, *lb, *ln;
	const void *blob;
	struct db *db;
	struct db_q *q;
	size_t i, len;

	(void)state;
	if (uri == NULL || *uri == '\0') {
		fprintf(stderr, "test_pgarr: CHORUS_TEST_PG_URI not set: "
		    "PostgreSQL skipped\n");
		skip();
	}
	assert_non_null(db = db_open(uri, 0));
	pgarr_init(&t);
	pgarr_init(&b);
	pgarr_init(&n);
	for (i = 0; i < NTEXTS; i++) {
		pgarr_text(&t, texts[i]);
		pgarr_bytea(&b, bytes, i % sizeof(bytes) + 1);
		pgarr_int(&n, (int64_t)i - 6);
	}
	pgarr_text(&t, NULL);
	pgarr_null(&b);
	pgarr_int(&n, INT64_MIN);
	assert_non_null(lt = pgarr_end(&t));
	assert_non_null(lb = pgarr_end(&b));
	assert_non_null(ln = pgarr_end(&n));
	assert_non_null(q = db_q(db, "SELECT u.t, u.b, u.n, u.i FROM "
	    "unnest(CAST(?1 AS text[]), CAST(?2 AS bytea[]), "
	    "CAST(?3 AS bigint[])) WITH ORDINALITY AS u(t, b, n, i) "
	    "ORDER BY u.i"));
	db_q_text(q, 1, lt);
	db_q_text(q, 2, lb);
	db_q_text(q, 3, ln);
	for (i = 0; i < NTEXTS; i++) {
		assert_int_equal(db_q_step(q), DB_Q_ROW);
		assert_string_equal(db_q_col_text(q, 0), texts[i]);
		assert_non_null(blob = db_q_col_blob(q, 1, &len));
		assert_int_equal(len, i % sizeof(bytes) + 1);
		assert_memory_equal(blob, bytes, len);
		assert_int_equal(db_q_col_int64(q, 2), (int64_t)i - 6);
	}
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	assert_true(db_q_col_is_null(q, 0));
	assert_true(db_q_col_is_null(q, 1));
	assert_int_equal(db_q_col_int64(q, 2), INT64_MIN);
	assert_int_equal(db_q_step(q), DB_Q_DONE);
	db_q_reset(q);
	pgarr_release(&t);
	pgarr_release(&b);
	pgarr_release(&n);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_bytea),
		cmocka_unit_test(test_failure_sticks),
		cmocka_unit_test(test_server_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
