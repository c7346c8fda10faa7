/*
 * Tests of db/daykey.c on both stores: the first offer of a day wins for
 * every connection, also when two race; past days are deleted; on
 * PostgreSQL a deletion, and only one, writes the table anew. The
 * PostgreSQL half runs when CHORUS_TEST_PG_URI names a database that
 * `chorus init` made (tests/e2e/pg_units.sh), and is skipped without it.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/log.h"
#include "db/daykey.h"
#include "db/db.h"
#include "db/stmt.h"

#define DAY0	20000

static const char q_count[] = "SELECT count(*) FROM visitor_keys";
static const char q_min[] = "SELECT min(day) FROM visitor_keys";
static const char q_clear[] = "DELETE FROM visitor_keys";
static const char q_filenode[] = "SELECT pg_relation_filenode("
    "'visitor_keys')";

/* The first column of the one row of sql, through the store's cursor. */
static int64_t
one(struct db *db, const char *sql)
{
	struct db_q *q;
	int64_t v;

	assert_non_null(q = db_q(db, sql));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	v = db_q_col_int64(q, 0);
	db_q_reset(q);
	return v;
}

struct racer {
	struct db	*db;
	unsigned char	 fresh[DAYKEY_LEN];
	unsigned char	 out[DAYKEY_LEN];
	int		 rc;
};

static void *
race(void *arg)
{
	struct racer *r = arg;

	r->rc = db_daykey_get(r->db, DAY0 + 2, DAY0, r->fresh, r->out);
	return NULL;
}

/* The same on either store: a and b are two connections to one. */
static void
daykey_on(struct db *a, struct db *b)
{
	unsigned char fresh[DAYKEY_LEN], key0[DAYKEY_LEN], out[DAYKEY_LEN];
	struct racer r[2];
	struct db_q *q;
	pthread_t t[2];
	int i;

	assert_non_null(q = db_q(a, q_clear));
	assert_int_equal(db_q_done(a, q, "clear"), 0);
	/* First offer wins; the second connection reads it back. */
	memset(fresh, 0xa1, sizeof(fresh));
	assert_int_equal(db_daykey_get(a, DAY0, DAY0, fresh, key0), 0);
	assert_memory_equal(key0, fresh, DAYKEY_LEN);
	memset(fresh, 0xb2, sizeof(fresh));
	assert_int_equal(db_daykey_get(b, DAY0, DAY0, fresh, out), 0);
	assert_memory_equal(out, key0, DAYKEY_LEN);
	assert_int_equal(one(a, q_count), 1);
	/* Tomorrow's key, today's kept. */
	assert_int_equal(db_daykey_get(b, DAY0 + 1, DAY0, fresh, out), 0);
	assert_memory_equal(out, fresh, DAYKEY_LEN);
	assert_int_equal(one(a, q_count), 2);
	/* Two connections at once: one key, one of theirs. */
	for (i = 0; i < 2; i++) {
		r[i].db = i == 0 ? a : b;
		memset(r[i].fresh, 0xc0 + i, DAYKEY_LEN);
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].rc, 0);
	}
	assert_memory_equal(r[0].out, r[1].out, DAYKEY_LEN);
	assert_true(memcmp(r[0].out, r[0].fresh, DAYKEY_LEN) == 0 ||
	    memcmp(r[0].out, r[1].fresh, DAYKEY_LEN) == 0);
	assert_int_equal(one(a, q_count), 3);
	/* The days before keep_from go. */
	assert_int_equal(db_daykey_get(a, DAY0 + 2, DAY0 + 1, fresh, out), 0);
	assert_memory_equal(out, r[0].out, DAYKEY_LEN);
	assert_int_equal(one(b, q_count), 2);
	assert_int_equal(one(b, q_min), DAY0 + 1);
}

static void
test_sqlite(void **state)
{
	char path[64], side[80];
	struct db *a, *b;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_daykey.%ld.db",
	    (long)getpid());
	unlink(path);
	assert_non_null(a = db_open(path, DB_CREATE));
	assert_int_equal(db_migrate(a, NULL, NULL), 0);
	assert_non_null(b = db_open(path, 0));
	assert_int_equal(db_is_pg(a), 0);
	daykey_on(a, b);
	db_close(a);
	db_close(b);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void
test_pg(void **state)
{
	const char *uri = getenv("CHORUS_TEST_PG_URI");
	unsigned char fresh[DAYKEY_LEN], out[DAYKEY_LEN];
	struct db *a, *b;
	int64_t node;

	(void)state;
	if (uri == NULL || *uri == '\0') {
		fprintf(stderr, "test_daykey: CHORUS_TEST_PG_URI not set: "
		    "PostgreSQL skipped\n");
		skip();
	}
	assert_non_null(a = db_open(uri, 0));
	assert_non_null(b = db_open(uri, 0));
	assert_int_equal(db_is_pg(a), 1);
	daykey_on(a, b);
	/* A key read, nothing deleted: the table as it was. */
	node = one(a, q_filenode);
	memset(fresh, 0xd4, sizeof(fresh));
	assert_int_equal(db_daykey_get(a, DAY0 + 3, DAY0 + 1, fresh, out), 0);
	assert_int_equal(one(a, q_filenode), node);
	/* A day deleted: the table written anew, its old file gone. */
	assert_int_equal(db_daykey_get(b, DAY0 + 3, DAY0 + 3, fresh, out), 0);
	assert_true(one(a, q_filenode) != node);
	assert_int_equal(one(a, q_count), 1);
	assert_int_equal(one(a, q_min), DAY0 + 3);
	db_close(a);
	db_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlite),
		cmocka_unit_test(test_pg),
	};

	log_init("chorus", LOG_LEVEL_INFO);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
