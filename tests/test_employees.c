/*
 * Tests of db/employees.c against a real SQLite file: an import keeps each
 * setting the employee chose (own_fields) and says when it set HR's value
 * aside; and db/digest.c reads the topics the employee follows and mutes
 * beside HR's roles.
 */
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
#include "common/network.h"
#include "db/db.h"
#include "db/db_int.h"
#include "db/digest.h"
#include "db/employees.h"

#define NOW	1800000000

static char path[64];
static struct db *db;

static void
remove_db(void)
{
	char p[80];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static int
setup(void **state)
{
	(void)state;
	log_init("chorus", LOG_LEVEL_ERROR);
	snprintf(path, sizeof(path), "/tmp/test_employees.%ld.db",
	    (long)getpid());
	remove_db();
	if ((db = db_open(path, DB_CREATE)) == NULL ||
	    db_migrate(db, NULL, NULL) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	db_close(db);
	remove_db();
	return 0;
}

/* The first column of the first row of sql, as text. */
static const char *
query1(const char *sql)
{
	static char out[256];
	sqlite3_stmt *st;

	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, sizeof(out), "%s", db_col_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* HR's row for Ann, as the import hands it over. */
static struct employee_in
ann(const char *name, const char *tz, const char *send_time,
    unsigned networks, const char *frequency)
{
	struct employee_in e;

	memset(&e, 0, sizeof(e));
	e.email = "ann@example.com";
	e.name = name;
	e.timezone = tz;
	e.send_time = send_time;
	e.networks = networks;
	e.frequency = frequency;
	e.roles[0] = "engineering";
	e.roles[1] = "hr";
	e.nroles = 2;
	return e;
}

static void
upsert(const struct employee_in *e, enum db_upsert want, int want_kept)
{
	enum db_upsert res;
	int kept = -1;

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_employees_import_begin(db), 0);
	assert_int_equal(db_employees_upsert(db, e, NOW, &res, &kept), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(res, want);
	assert_int_equal(kept, want_kept);
}

static const char sql_ann[] = "SELECT name || '|' || frequency || '|' || "
    "networks || '|' || coalesce(timezone, '-') || '|' || "
    "coalesce(send_time, '-') FROM employees WHERE email = "
    "'ann@example.com'";

/* Field by field: the employee's own value wins, HR's is set aside and
 * counted only when it differs; every other field is HR's. */
static void
test_own_fields(void **state)
{
	struct employee_in e;

	(void)state;
	e = ann("Ann", "Europe/London", "08:00", NET_ALL, "daily");
	upsert(&e, DB_ADDED, 0);
	upsert(&e, DB_UNCHANGED, 0);

	/* Chosen on the page: weekdays and a zone. */
	assert_int_equal(db_exec(db, "UPDATE employees SET frequency = "
	    "'weekdays', timezone = 'Asia/Tokyo', own_fields = 5"), 0);
	upsert(&e, DB_UNCHANGED, 1);
	assert_string_equal(query1(sql_ann),
	    "Ann|weekdays|7|Asia/Tokyo|08:00");

	/* HR changes the name and send time (not the employee's): those
	 * update; its other frequency and zone are still set aside. */
	e = ann("Ann Lee", "America/New_York", "07:00", NET_ALL, "weekly");
	upsert(&e, DB_UPDATED, 1);
	assert_string_equal(query1(sql_ann),
	    "Ann Lee|weekdays|7|Asia/Tokyo|07:00");

	/* HR agreeing with the employee sets nothing aside; differing on
	 * the frequency alone does. */
	e = ann("Ann Lee", "Asia/Tokyo", "07:00", NET_ALL, "weekdays");
	upsert(&e, DB_UNCHANGED, 0);
	e = ann("Ann Lee", "Asia/Tokyo", "07:00", NET_ALL, "paused");
	upsert(&e, DB_UNCHANGED, 1);

	/* An own send time and networks; HR's empty send time (the
	 * default) differs from it, alone, then with the networks. */
	assert_int_equal(db_exec(db, "UPDATE employees SET send_time = "
	    "'06:15', networks = 1, own_fields = 15"), 0);
	e = ann("Ann Lee", "Asia/Tokyo", "06:15", 1, "weekdays");
	upsert(&e, DB_UNCHANGED, 0);
	e = ann("Ann Lee", "Asia/Tokyo", "06:15", NET_ALL, "weekdays");
	upsert(&e, DB_UNCHANGED, 1);
	e = ann("Ann Lee", "Europe/London", "06:15", 1, "weekdays");
	upsert(&e, DB_UNCHANGED, 1);
	e = ann("Ann Lee", "Asia/Tokyo", NULL, 1, "weekdays");
	upsert(&e, DB_UNCHANGED, 1);
	e = ann("Ann Lee", "Asia/Tokyo", NULL, NET_ALL, "weekdays");
	upsert(&e, DB_UNCHANGED, 1);
	assert_string_equal(query1(sql_ann),
	    "Ann Lee|weekdays|1|Asia/Tokyo|06:15");
	/* Without own_fields, HR's values come back. */
	assert_int_equal(db_exec(db, "UPDATE employees SET own_fields = 0"),
	    0);
	upsert(&e, DB_UPDATED, 0);
	assert_string_equal(query1(sql_ann), "Ann Lee|weekdays|7|Asia/Tokyo|-");
}

/* A column the file left out (keep) leaves the stored value, whether
 * HR's or the employee's own, and sets nothing aside: HR said nothing. */
static void
test_columns_left_out(void **state)
{
	struct employee_in e;

	(void)state;
	assert_int_equal(db_exec(db, "UPDATE employees SET own_fields = 0"),
	    0);
	e = ann("Ann Kept", "Europe/Paris", "09:45", 3, "weekly");
	upsert(&e, DB_UPDATED, 0);
	assert_string_equal(query1(sql_ann),
	    "Ann Kept|weekly|3|Europe/Paris|09:45");
	/* Only email and roles: the defaults they would stand for are not
	 * written over the stored values. */
	e = ann("", NULL, NULL, NET_ALL, "daily");
	e.keep = EMP_KEEP_NAME | EMP_OWN_TIMEZONE | EMP_OWN_SEND_TIME |
	    EMP_OWN_NETWORKS | EMP_OWN_FREQUENCY;
	upsert(&e, DB_UNCHANGED, 0);
	assert_string_equal(query1(sql_ann),
	    "Ann Kept|weekly|3|Europe/Paris|09:45");
	/* The employee's own frequency, HR's column left out: nothing set
	 * aside; given, and different: set aside. */
	assert_int_equal(db_exec(db, "UPDATE employees SET own_fields = 1, "
	    "frequency = 'paused'"), 0);
	upsert(&e, DB_UNCHANGED, 0);
	e.keep &= ~(unsigned)EMP_OWN_FREQUENCY;
	upsert(&e, DB_UNCHANGED, 1);
	/* One column given: that one changes, the rest stay. */
	e.keep = EMP_KEEP_NAME | EMP_OWN_TIMEZONE | EMP_OWN_NETWORKS |
	    EMP_OWN_FREQUENCY;
	e.send_time = "05:00";
	upsert(&e, DB_UPDATED, 0);
	assert_string_equal(query1(sql_ann),
	    "Ann Kept|paused|3|Europe/Paris|05:00");
	assert_int_equal(db_exec(db, "UPDATE employees SET own_fields = 0"),
	    0);
}

/* A digest reads HR's roles, the topics followed and those muted apart;
 * an import leaves the topics alone. */
static void
test_topics_read(void **state)
{
	struct db_employee got;
	struct employee_in e;
	int64_t id;

	(void)state;
	e = ann("Ann", NULL, NULL, NET_ALL, "daily");
	upsert(&e, DB_UPDATED, 0);
	id = atoll(query1("SELECT id FROM employees WHERE email = "
	    "'ann@example.com'"));
	assert_int_equal(db_exec(db, "INSERT INTO employee_topics "
	    "(employee_id, role, choice) SELECT id, 'sales', 'follow' FROM "
	    "employees; INSERT INTO employee_topics (employee_id, role, "
	    "choice) SELECT id, 'hr', 'mute' FROM employees"), 0);
	upsert(&e, DB_UNCHANGED, 0);
	assert_string_equal(query1("SELECT count(*) FROM employee_topics"),
	    "2");

	memset(&got, 0, sizeof(got));
	assert_int_equal(db_digest_employee_by_id(db, id, &got), 1);
	assert_int_equal(got.nroles, 2);
	assert_int_equal(got.nfollows, 1);
	assert_string_equal(got.follows[0], "sales");
	assert_int_equal(got.nmutes, 1);
	assert_string_equal(got.mutes[0], "hr");
	assert_true((strcmp(got.roles[0], "engineering") == 0 &&
	    strcmp(got.roles[1], "hr") == 0) ||
	    (strcmp(got.roles[1], "engineering") == 0 &&
	    strcmp(got.roles[0], "hr") == 0));
	/* Read again into the same struct: nothing doubles. */
	assert_int_equal(db_digest_employee_by_id(db, id, &got), 1);
	assert_int_equal(got.nroles + got.nfollows + got.nmutes, 4);
	db_digest_employee_clear(&got);
	free(got.rolebuf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_fields),
		cmocka_unit_test(test_topics_read),
		cmocka_unit_test(test_columns_left_out),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
