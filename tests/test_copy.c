/*
 * Tests of copy's plan (db/copy.c): the order of the tables by their
 * foreign keys, and that the plan of a database at the current schema
 * names every table of it, each after the tables it refers to, but the
 * ones never copied. As the store's own test it may look inside
 * (db_int.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/log.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/db_int.h"

static void
test_order(void **state)
{
	/* 0 <- 1, 0 <- 2, {1, 2} <- 3, 4 refers to itself and to 3. */
	static const size_t p1[] = { 0 }, p2[] = { 0 }, p3[] = { 2, 1 },
	    p4[] = { 4, 3 };
	const size_t *const parent[] = { NULL, p1, p2, p3, p4 };
	const size_t nparent[] = { 0, 1, 1, 2, 2 };
	size_t order[5];

	(void)state;
	assert_int_equal(db_copy_order(5, parent, nparent, order), 0);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 2);
	assert_int_equal(order[3], 3);
	assert_int_equal(order[4], 4);
}

static void
test_order_reversed(void **state)
{
	/* The listing order is not the answer: 0 refers to 1, 1 to 2. */
	static const size_t p0[] = { 1 }, p1[] = { 2 };
	const size_t *const parent[] = { p0, p1, NULL };
	const size_t nparent[] = { 1, 1, 0 };
	size_t order[3];

	(void)state;
	assert_int_equal(db_copy_order(3, parent, nparent, order), 0);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 0);
}

static void
test_order_cycle(void **state)
{
	static const size_t p0[] = { 2 }, p1[] = { 0 }, p2[] = { 1 };
	const size_t *const parent[] = { p0, p1, p2, NULL };
	const size_t nparent[] = { 1, 1, 1, 0 };
	size_t order[4];

	(void)state;
	assert_int_equal(db_copy_order(4, parent, nparent, order), -1);
	assert_int_equal(db_copy_order(0, parent, nparent, order), 0);
}

static int
plan_pos(char **plan, const char *name)
{
	int i;

	for (i = 0; plan[i] != NULL; i++)
		if (strcmp(plan[i], name) == 0)
			return i;
	return -1;
}

static int
skipped(const char *name)
{
	size_t i;

	for (i = 0; db_copy_skip[i] != NULL; i++)
		if (strcmp(db_copy_skip[i], name) == 0)
			return 1;
	return 0;
}

static void
test_plan_schema(void **state)
{
	struct db *db;
	sqlite3_stmt *st;
	char **plan;
	int n = 0, tables = 0, pos;

	(void)state;
	db = db_open(":memory:", DB_CREATE);
	assert_non_null(db);
	assert_int_equal(db_migrate(db, NULL, NULL), 0);
	plan = db_copy_plan(db);
	assert_non_null(plan);
	while (plan[n] != NULL)
		n++;
	/* Every table of the schema, from the schema itself. */
	assert_int_equal(sqlite3_prepare_v2(db->h, "SELECT name FROM "
	    "sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
	    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		tables++;
		pos = plan_pos(plan, name);
		if (skipped(name)) {
			assert_int_equal(pos, -1);
			continue;
		}
		if (pos == -1)
			fail_msg("table '%s' is not copied", name);
	}
	sqlite3_finalize(st);
	assert_int_equal(n, tables - 1);
	assert_true(skipped("visitor_keys"));
	/* Each table after every table it refers to. */
	assert_int_equal(sqlite3_prepare_v2(db->h, "SELECT m.name, "
	    "f.\"table\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) "
	    "f WHERE m.type = 'table'", -1, &st, NULL), SQLITE_OK);
	n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *child = (const char *)sqlite3_column_text(st, 0);
		const char *parent = (const char *)sqlite3_column_text(st, 1);

		n++;
		if (skipped(child))
			continue;
		if (plan_pos(plan, parent) >= plan_pos(plan, child))
			fail_msg("'%s' is copied before '%s', which it refers "
			    "to", child, parent);
	}
	sqlite3_finalize(st);
	assert_true(n > 10);
	assert_true(plan_pos(plan, "employees") < plan_pos(plan, "links"));
	assert_true(plan_pos(plan, "posts") < plan_pos(plan, "links"));
	db_copy_plan_free(plan);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_order_reversed),
		cmocka_unit_test(test_order_cycle),
		cmocka_unit_test(test_plan_schema),
	};

	log_init("chorus", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
