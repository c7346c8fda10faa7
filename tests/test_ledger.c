/* Unit tests for db/ledger.c: claims between two connections, finishing,
 * releasing a dead run's rows, retryable rows and the runs table; on
 * PostgreSQL (CHORUS_TEST_PG_URI, a database `chorus init` made) two
 * transactions racing for one claim. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "common/buf.h"
#include "common/network.h"
#include "common/xmalloc.h"
#include "db/db.h"
#include "db/digest.h"
#include "db/employees.h"
#include "db/ledger.h"
#include "db/audience.h"
#include "db/pg.h"
#include "db/links.h"
#include "db/posts.h"
#include "db/stmt.h"

#define D	"2026-11-23"
#define NOW	((time_t)1795424400)

static char dir[] = "/tmp/chorus-test-ledger.XXXXXX";
static char path[256];
static struct db *a, *b;

static void
add(struct db *db, const char *email)
{
	struct employee_in e;
	enum db_upsert r;

	memset(&e, 0, sizeof(e));
	e.email = email;
	e.name = "N";
	e.networks = NET_ALL;
	e.frequency = "daily";
	e.roles[0] = "staff";
	e.nroles = 1;
	assert_int_equal(db_employees_upsert(db, &e, NOW, &r, NULL), 0);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/chorus.db", dir);
	if ((a = db_open(path, DB_CREATE)) == NULL ||
	    db_migrate(a, NULL, NULL) == -1)
		return -1;
	if (db_begin(a) == -1 || db_employees_import_begin(a) == -1)
		return -1;
	add(a, "e1@example.com");
	add(a, "e2@example.com");
	if (db_commit(a) == -1)
		return -1;
	return (b = db_open(path, 0)) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	db_close(a);
	db_close(b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_employees(void **state)
{
	struct ledger_employee e[4];

	(void)state;
	assert_int_equal(db_ledger_employees(a, 0, e, 4), 2);
	assert_string_equal(e[0].frequency, "daily");
	assert_string_equal(e[0].tz, "");
	assert_int_equal(db_ledger_employees(a, e[0].id, e, 4), 1);
	assert_int_equal(db_ledger_employees(a, e[0].id, e, 4), 0);
}

/* Two connections race for one digest: one wins, the other sees it held
 * and cannot touch it. */
static void
test_claim_once(void **state)
{
	int64_t ida, idb = 0;
	int planned;

	(void)state;
	assert_int_equal(db_ledger_state_of(a, 1, D), LEDGER_NONE);
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_ledger_claim(a, 1, D, "A", NOW, NOW,
	    &ida, &planned), 1);
	assert_int_equal(planned, 0);
	assert_int_equal(db_ledger_set_message_id(a, ida, "<m1@x>", NOW), 0);
	assert_int_equal(db_commit(a), 0);

	assert_int_equal(db_begin(b), 0);
	assert_int_equal(db_ledger_claim(b, 1, D, "B", NOW, NOW,
	    &idb, &planned), 0);
	assert_int_equal(db_commit(b), 0);
	assert_int_equal(db_ledger_state_of(b, 1, D), LEDGER_SENDING);
	assert_int_equal(db_ledger_finish(b, ida, "B", LEDGER_SENT, "250", 1,
	    NOW), -2);
	assert_int_equal(db_ledger_finish(a, ida, "A", LEDGER_SENT, "250 ok", 1,
	    NOW), 0);
	assert_int_equal(db_ledger_state_of(b, 1, D), LEDGER_SENT);
	/* Sent is final: nobody claims it again. */
	assert_int_equal(db_ledger_claim(b, 1, D, "B", NOW, NOW,
	    &idb, &planned), 0);
	assert_int_equal(db_ledger_count(a, D, LEDGER_SENT), 1);
}

/* A dead run's rows go back to pending with their plan; the next claim
 * renders them without planning again. */
static void
test_release(void **state)
{
	struct ledger_claimer *who;
	size_t n;
	int64_t id, id2;
	int planned;
	char mid[64], date[16];
	int64_t eid;

	(void)state;
	assert_int_equal(db_ledger_claim(a, 2, D, "dead", NOW, NOW,
	    &id, &planned),
	    1);
	assert_int_equal(db_ledger_set_message_id(a, id, "<m2@x>", NOW), 0);
	assert_int_equal(db_ledger_claimers(b, &who, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(who[0].claimer, "dead");
	assert_true(who[0].claimed_at == NOW);
	db_ledger_claimers_free(who, n);
	/* A renewal after the claim was read keeps it; then, released. */
	assert_int_equal(db_ledger_renew(a, "dead", NOW + 30), 1);
	assert_int_equal(db_ledger_release_stale(b, "dead", NOW, NOW + 31), 0);
	assert_int_equal(db_ledger_state_of(a, 2, D), LEDGER_SENDING);
	assert_int_equal(db_ledger_release(b, "dead", LEDGER_PENDING, NULL,
	    NOW), 1);
	assert_int_equal(db_ledger_state_of(a, 2, D), LEDGER_PENDING);
	assert_int_equal(db_ledger_claim(b, 2, D, "B", NOW, NOW,
	    &id2, &planned), 1);
	assert_true(id2 == id);
	assert_int_equal(planned, 1);
	assert_int_equal(db_digest_ledger_get(b, id2, &eid, date, sizeof(date),
	    mid, sizeof(mid)), 1);
	assert_string_equal(mid, "<m2@x>");
	/* A retry within the run keeps the claim and counts the attempt. */
	assert_int_equal(db_ledger_finish(b, id, "B", LEDGER_SENDING,
	    "451 busy", 1, NOW), 0);
	assert_int_equal(db_ledger_state_of(a, 2, D), LEDGER_SENDING);
	assert_int_equal(db_ledger_finish(b, id, "B", LEDGER_FAILED_TEMP,
	    "451 busy", 1, NOW), 0);
}

/* failed_temp rows come back to later runs, after the given time. */
static void
test_retryable(void **state)
{
	struct ledger_row r[4];

	(void)state;
	assert_int_equal(db_ledger_retryable(a, "2026-11-22", NULL, NOW, 0, r,
	    4), 1);
	assert_true(r[0].employee_id == 2);
	assert_string_equal(r[0].local_date, D);
	assert_int_equal(db_ledger_retryable(a, "2026-11-22", NULL, NOW - 1, 0,
	    r, 4), 0);
	assert_int_equal(db_ledger_retryable(a, NULL, D, NOW, 0, r, 4), 1);
	assert_int_equal(db_ledger_retryable(a, NULL, "2026-11-24", NOW, 0, r,
	    4), 0);
	assert_int_equal(db_ledger_retryable(a, "2026-11-24", NULL, NOW, 0, r,
	    4), 0);
}

static void
test_runs(void **state)
{
	int64_t run;

	(void)state;
	run = db_ledger_run_start(a, "run", NOW);
	assert_true(run > 0);
	assert_int_equal(db_ledger_run_finish(a, run, NOW + 5, 1, 0, 1, 75), 0);
	assert_string_equal(db_ledger_state_name(LEDGER_FAILED_PERM),
	    "failed_perm");
}

/* A claim of connection pg_b in its own transaction, from a thread. */
struct racer {
	struct db	*db;
	int64_t		 emp;
	const char	*date;
	int		 got;		/* db_ledger_claim()'s answer */
	volatile int	 done;
};

static void *
race_claim(void *arg)
{
	struct racer *r = arg;
	int64_t id;
	int planned;

	if (db_begin(r->db) == -1) {
		r->got = -1;
	} else {
		r->got = db_ledger_claim(r->db, r->emp, r->date, "B", NOW, NOW,
		    &id, &planned);
		if (db_commit(r->db) == -1)
			r->got = -1;
	}
	r->done = 1;
	return NULL;
}

/* Records the audience of post c->post (one member) in a transaction of
 * connection c->db, from a thread. */
struct chooser {
	struct db	*db;
	int64_t		 post, member;
	int		 got;
	volatile int	 done;
};

static void *
race_choose(void *arg)
{
	struct chooser *c = arg;

	if (db_begin(c->db) == -1) {
		c->got = -1;
	} else {
		c->got = db_audience_record(c->db, c->post, "2026-12-02", 1, 1,
		    &c->member, 1, NOW);
		if (db_commit(c->db) == -1)
			c->got = -1;
	}
	c->done = 1;
	return NULL;
}

/* Two runs choosing one post's audience at once on PostgreSQL: the
 * second's insert waits for the first's, then keeps the first's choice
 * and records nothing (no error: its plan goes on). */
static void
test_choice_race_pg(struct db *pa, struct db *pb, int64_t member)
{
	struct post_in in;
	struct db_posts ps = { 0 };
	struct chooser c;
	enum db_upsert res;
	int64_t *of = NULL;
	size_t i, n = 0, cap = 0, t_n;
	pthread_t t;

	memset(&in, 0, sizeof(in));
	in.id = "race-post";
	in.title = in.summary = in.text = "x";
	in.url = "https://example.com/race";
	in.audience_count = 1;
	in.everyone = 1;
	assert_int_equal(db_begin(pa), 0);
	assert_int_equal(db_posts_import_begin(pa), 0);
	assert_int_equal(db_posts_upsert(pa, &in, NOW, &res), 0);
	assert_int_equal(db_commit(pa), 0);
	assert_int_equal(db_digest_candidates(pa, "2026-12-02", &ps), 0);
	memset(&c, 0, sizeof(c));
	for (i = 0; i < ps.n; i++)
		if (strcmp(ps.v[i].ext_id, "race-post") == 0)
			c.post = ps.v[i].id;
	db_digest_posts_free(&ps);
	assert_true(c.post > 0);

	assert_int_equal(db_begin(pa), 0);
	assert_int_equal(db_audience_record(pa, c.post, "2026-12-02", 1, 1,
	    &member, 1, NOW), 0);
	c.db = pb;
	c.member = member;
	assert_int_equal(pthread_create(&t, NULL, race_choose, &c), 0);
	for (i = 0; i < 20 && !c.done; i++)
		usleep(10000);
	assert_int_equal(c.done, 0);	/* waiting on the first's insert */
	assert_int_equal(db_commit(pa), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(c.got, 0);
	assert_int_equal(db_audience_is_chosen(pb, c.post), 1);
	assert_int_equal(db_audience_of(pb, member, &of, &n, &cap), 0);
	for (i = 0, t_n = 0; i < n; i++)
		t_n += of[i] == c.post;
	assert_int_equal(t_n, 1);
	free(of);
}

/* The database of the PostgreSQL half (tests/e2e/pg_units.sh); without
 * it the test is skipped, saying so. */
static const char *
pg_uri_or_skip(void)
{
	const char *uri = getenv("CHORUS_TEST_PG_URI");

	if (uri == NULL || *uri == '\0') {
		fprintf(stderr, "test_ledger: CHORUS_TEST_PG_URI not set: "
		    "PostgreSQL skipped\n");
		skip();
	}
	return uri;
}

/* The claim's upsert on PostgreSQL: a second transaction's claim of the
 * same digest waits for the first's row lock, then reads the row the
 * first committed ('sending') and gets nothing; if the first rolls back,
 * the second has it. */
static void
test_claim_race_pg(void **state)
{
	const char *uri = pg_uri_or_skip();
	struct ledger_employee e;
	struct db *pa, *pb;
	struct racer r;
	pthread_t t;
	int64_t id;
	int planned, i;

	(void)state;
	assert_non_null(pa = db_open(uri, 0));
	assert_non_null(pb = db_open(uri, 0));
	/* Any employee the other tests of the database left, else one. */
	if (db_ledger_employees(pa, 0, &e, 1) != 1) {
		assert_int_equal(db_begin(pa), 0);
		assert_int_equal(db_employees_import_begin(pa), 0);
		add(pa, "race@example.com");
		assert_int_equal(db_commit(pa), 0);
		assert_int_equal(db_ledger_employees(pa, 0, &e, 1), 1);
	}

	/* The first commits: the second gets nothing. */
	assert_int_equal(db_begin(pa), 0);
	assert_int_equal(db_ledger_claim(pa, e.id, "2026-11-30", "A", NOW,
	    NOW, &id, &planned), 1);
	memset(&r, 0, sizeof(r));
	r.db = pb;
	r.emp = e.id;
	r.date = "2026-11-30";
	assert_int_equal(pthread_create(&t, NULL, race_claim, &r), 0);
	for (i = 0; i < 20 && !r.done; i++)
		usleep(10000);
	assert_int_equal(r.done, 0);	/* waiting on the row lock */
	assert_int_equal(db_commit(pa), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.got, 0);
	assert_int_equal(db_ledger_finish(pb, id, "B", LEDGER_SENT, "250", 1,
	    NOW), -2);
	/* The claimer's own row is its own again. */
	assert_int_equal(db_begin(pa), 0);
	assert_int_equal(db_ledger_claim(pa, e.id, "2026-11-30", "A", NOW,
	    NOW, &id, &planned), 1);
	assert_int_equal(db_ledger_finish(pa, id, "A", LEDGER_SENT, "250", 1,
	    NOW), 0);
	assert_int_equal(db_commit(pa), 0);

	/* The first rolls back: the second has it. */
	assert_int_equal(db_begin(pa), 0);
	assert_int_equal(db_ledger_claim(pa, e.id, "2026-12-01", "A", NOW,
	    NOW, &id, &planned), 1);
	memset(&r, 0, sizeof(r));
	r.db = pb;
	r.emp = e.id;
	r.date = "2026-12-01";
	assert_int_equal(pthread_create(&t, NULL, race_claim, &r), 0);
	for (i = 0; i < 20 && !r.done; i++)
		usleep(10000);
	assert_int_equal(r.done, 0);
	assert_int_equal(db_rollback(pa), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.got, 1);
	assert_int_equal(db_ledger_state_of(pa, e.id, "2026-12-01"),
	    LEDGER_SENDING);
	/* B renews; a stale read of it releases nothing. */
	assert_int_equal(db_ledger_renew(pb, "B", NOW + 30), 1);
	assert_int_equal(db_ledger_release_stale(pa, "B", NOW, NOW), 0);
	assert_int_equal(db_ledger_release_stale(pa, "B", NOW + 30, NOW), 1);
	assert_int_equal(db_ledger_state_of(pa, e.id, "2026-12-01"),
	    LEDGER_PENDING);
	test_choice_race_pg(pa, pb, e.id);
	db_close(pa);
	db_close(pb);
}

/* A ledger row's state, reply and attempts as "state|reply|attempts",
 * read past the store's API (no reader of replies needs one). */
static void
row_of(const char *uri, int64_t id, char *out, size_t len)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT state || '|' || "
	    "coalesce(reply, 'NULL') || '|' || attempts FROM ledger "
	    "WHERE id = %lld", (long long)id);
	if (uri != NULL) {
		struct pg_result *res;
		struct pg *pg;

		assert_non_null(pg = pg_connect(uri, 0));
		assert_int_equal(pg_exec(pg, sql, 0, NULL, &res), PG_OK);
		assert_int_equal(pg_result_rows(res), 1);
		snprintf(out, len, "%s", pg_result_value(res, 0, 0));
		pg_result_free(res);
		pg_close(pg);
	} else {
		sqlite3 *h;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		snprintf(out, len, "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
}

/*
 * The outcomes of a drain in one call (one statement on PostgreSQL): each
 * row written as db_ledger_finish() would write it, a reply's quotes,
 * backslashes, commas and braces kept, a NULL reply keeping the row's; a
 * row another run holds is left alone and said so (-2). And which pairs
 * have a row, in one look. uri NULL: the SQLite store.
 */
static void
outcomes_case(struct db *x, const char *uri, int64_t emp)
{
	static const char *dates[] = { "2027-01-04", "2027-01-05",
	    "2027-01-06", "2027-01-07" };
	static const char odd[] = "250 2.0.0 \"queued\" as {a,b} \\ NULL";
	struct ledger_outcome o[4];
	int64_t id[4], emps[3];
	const char *ds[3];
	unsigned char has[3];
	char got[200];
	int planned, i;

	assert_int_equal(db_begin(x), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(db_ledger_claim(x, emp, dates[i],
		    i < 3 ? "A" : "B", NOW, NOW, &id[i], &planned), 1);
	assert_int_equal(db_ledger_finish(x, id[2], "A", LEDGER_SENDING,
	    "451 first", 1, NOW), 0);
	assert_int_equal(db_commit(x), 0);

	memset(o, 0, sizeof(o));
	o[0].id = id[0];
	o[0].state = LEDGER_SENT;
	o[0].reply = odd;
	o[0].attempt = 1;
	o[1].id = id[1];
	o[1].state = LEDGER_SENDING;
	o[1].reply = "451 4.7.1 \"try, later\"";
	o[1].attempt = 1;
	o[2].id = id[2];
	o[2].state = LEDGER_FAILED_TEMP;
	o[2].reply = NULL;
	o[3].id = id[3];
	o[3].state = LEDGER_SENT;
	o[3].reply = "250 not mine";
	o[3].attempt = 1;
	assert_int_equal(db_begin(x), 0);
	assert_int_equal(db_ledger_finish_many(x, "A", o, 4, NOW + 5), 0);
	assert_int_equal(db_commit(x), 0);
	assert_int_equal(o[0].rc, 0);
	assert_int_equal(o[1].rc, 0);
	assert_int_equal(o[2].rc, 0);
	assert_int_equal(o[3].rc, -2);
	row_of(uri, id[0], got, sizeof(got));
	assert_string_equal(got, "sent|250 2.0.0 \"queued\" as {a,b} "
	    "\\ NULL|1");
	row_of(uri, id[1], got, sizeof(got));
	assert_string_equal(got, "sending|451 4.7.1 \"try, later\"|1");
	row_of(uri, id[2], got, sizeof(got));
	assert_string_equal(got, "failed_temp|451 first|1");
	row_of(uri, id[3], got, sizeof(got));
	assert_string_equal(got, "sending|NULL|0");
	/* Only a row still 'sending' is the run's: a second outcome for a
	 * final row changes nothing. */
	o[0].state = LEDGER_FAILED_PERM;
	assert_int_equal(db_begin(x), 0);
	assert_int_equal(db_ledger_finish_many(x, "A", o, 1, NOW + 6), 0);
	assert_int_equal(db_commit(x), 0);
	assert_int_equal(o[0].rc, -2);
	assert_int_equal(db_ledger_state_of(x, emp, dates[0]), LEDGER_SENT);

	emps[0] = emps[1] = emps[2] = emp;
	ds[0] = dates[3];
	ds[1] = "2027-02-01";
	ds[2] = dates[0];
	memset(has, 7, sizeof(has));
	assert_int_equal(db_ledger_have_rows(x, emps, ds, 3, has), 0);
	assert_int_equal(has[0], 1);
	assert_int_equal(has[1], 0);
	assert_int_equal(has[2], 1);
	assert_int_equal(db_ledger_have_rows(x, emps, ds, 0, has), 0);
}

/* The claim with a plan's reads in its round trip: the reads come back
 * with a claim of a new row, not with one refused or already planned. */
static void
claim_read_case(struct db *x, int64_t emp)
{
	struct db_employee e;
	int64_t *sg = NULL, *dc = NULL, id, id2;
	size_t nsg = 0, csg = 0, ndc = 0, cdc = 0;
	int planned, read;

	memset(&e, 0, sizeof(e));
	assert_int_equal(db_begin(x), 0);
	assert_int_equal(db_digest_claim(x, emp, "2027-02-01", "C", NOW, NOW,
	    &id, &planned, &e, &sg, &nsg, &csg, &dc, &ndc, &cdc, &read), 1);
	assert_int_equal(planned, 0);
	assert_int_equal(read, 1);
	assert_true(e.id == emp);
	assert_int_equal(e.nroles, 1);
	assert_string_equal(e.roles[0], "staff");
	assert_int_equal(db_ledger_set_message_id(x, id, "<c@x>", NOW), 0);
	assert_int_equal(db_commit(x), 0);
	/* Another claimer: refused, nothing read. */
	e.id = 0;
	assert_int_equal(db_digest_claim(x, emp, "2027-02-01", "D", NOW, NOW,
	    &id2, &planned, &e, &sg, &nsg, &csg, &dc, &ndc, &cdc, &read), 0);
	assert_int_equal(read, 0);
	assert_true(e.id == 0);
	/* Released, claimed again: planned already, nothing read. */
	assert_int_equal(db_ledger_release(x, "C", LEDGER_PENDING, NULL, NOW),
	    1);
	assert_int_equal(db_digest_claim(x, emp, "2027-02-01", "D", NOW, NOW,
	    &id2, &planned, &e, &sg, &nsg, &csg, &dc, &ndc, &cdc, &read), 1);
	assert_true(id2 == id);
	assert_int_equal(planned, 1);
	assert_int_equal(read, 0);
	assert_int_equal(db_ledger_finish(x, id, "D", LEDGER_SENT, "250", 1,
	    NOW), 0);
	db_digest_employee_clear(&e);
	free(e.rolebuf);
	free(sg);
	free(dc);
}

static void
test_outcomes(void **state)
{
	(void)state;
	outcomes_case(a, NULL, 1);
	claim_read_case(a, 2);
}

/* A read of the plan's that fails after the claim (PostgreSQL: in the
 * claim's round trip) is that digest's failure, the claim held (*read
 * -1), as it was when planning read it; a failed claim is the batch's. */
static void
test_claim_read_fail_pg(void **state)
{
	static const char sp[] = "SAVEPOINT gone";
	static const char gone[] = "ALTER TABLE declines RENAME TO gone";
	static const char back[] = "ROLLBACK TO SAVEPOINT gone";
	const char *uri = pg_uri_or_skip();
	struct ledger_employee le;
	struct db_employee e;
	int64_t *sg = NULL, *dc = NULL, id;
	size_t nsg = 0, csg = 0, ndc = 0, cdc = 0;
	struct db_q *q;
	struct db *x;
	int planned, read;

	(void)state;
	assert_non_null(x = db_open(uri, 0));
	assert_int_equal(db_ledger_employees(x, 0, &le, 1), 1);
	memset(&e, 0, sizeof(e));
	assert_int_equal(db_begin(x), 0);
	/* Its statements prepared first; then one's table goes. */
	assert_int_equal(db_digest_claim(x, le.id, "2027-04-02", "F", NOW,
	    NOW, &id, &planned, &e, &sg, &nsg, &csg, &dc, &ndc, &cdc, &read),
	    1);
	assert_int_equal(read, 1);
	assert_non_null(q = db_q(x, sp));
	assert_int_equal(db_q_done(x, q, "savepoint"), 0);
	assert_non_null(q = db_q(x, gone));
	assert_int_equal(db_q_done(x, q, "rename"), 0);
	assert_int_equal(db_digest_claim(x, le.id, "2027-04-01", "F", NOW,
	    NOW, &id, &planned, &e, &sg, &nsg, &csg, &dc, &ndc, &cdc, &read),
	    1);
	assert_int_equal(planned, 0);
	assert_int_equal(read, -1);
	assert_int_equal(db_retryable(x), 0);
	assert_non_null(q = db_q(x, back));
	assert_int_equal(db_q_done(x, q, "rollback"), 0);
	assert_int_equal(db_rollback(x), 0);
	db_digest_employee_clear(&e);
	free(e.rolebuf);
	free(sg);
	free(dc);
	db_close(x);
}

static void
test_outcomes_pg(void **state)
{
	const char *uri = pg_uri_or_skip();
	struct ledger_employee e;
	struct db *x;

	(void)state;
	assert_non_null(x = db_open(uri, 0));
	assert_int_equal(db_begin(x), 0);
	assert_int_equal(db_employees_import_begin(x), 0);
	add(x, "outcomes@example.com");
	assert_int_equal(db_commit(x), 0);
	/* The one just added: the last in id order. */
	e.id = 0;
	while (db_ledger_employees(x, e.id, &e, 1) == 1)
		;
	outcomes_case(x, uri, e.id);
	claim_read_case(x, e.id);
	db_close(x);
}

/* The settings of the connection, "plan_cache_mode,enable_seqscan". */
static void
settings_of(struct db *x, char *out, size_t len)
{
	static const char sql[] = "SELECT current_setting('plan_cache_mode') "
	    "|| ',' || current_setting('enable_seqscan')";
	struct db_q *q;

	assert_non_null(q = db_q(x, sql));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	snprintf(out, len, "%s", db_q_col_text(q, 0));
	db_q_reset(q);
}

/* Whether a plan of EXPLAIN's reads a table that a run grows whole: a
 * sequential scan of it, or an index scan of it without a condition. */
static int
plan_scans_whole(const char *plan, char *why, size_t len)
{
	static const char *const grown[] = { "ledger", "suggestions",
	    "links", "declines", "audience_members" };
	const char *line = plan, *next;
	char l[512], on[64];
	size_t i;
	int scan;

	for (; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		next = next != NULL ? next + 1 : line + strlen(line);
		snprintf(l, sizeof(l), "%.*s", (int)(next - line), line);
		scan = strstr(l, "Seq Scan on ") != NULL ? 1 :
		    strstr(l, "Index Scan ") != NULL ||
		    strstr(l, "Index Only Scan ") != NULL ? 2 : 0;
		for (i = 0; scan && i < sizeof(grown) / sizeof(grown[0]);
		    i++) {
			snprintf(on, sizeof(on), " on %s ", grown[i]);
			if (strstr(l, on) == NULL)
				continue;
			/* An index scan's condition is on its next line. */
			if (scan == 2 && strncmp(next + strspn(next, " "),
			    "Index Cond", 10) == 0)
				continue;
			snprintf(why, len, "%.150s", l);
			return 1;
		}
	}
	return 0;
}

/*
 * A transaction of claims plans by key (db_ledger_claims_begin()): one
 * generic plan for each statement, no whole-table scan; both gone at its
 * end. Every statement a claim and a plan ran, EXPLAINed with the plan
 * the transaction uses, over tables the server knows as nearly empty (as
 * on a new store), reads no grown table whole: a plan made so and kept
 * would scan it whole ever after (seen failing with the suggestions'
 * ORDER BY post_id back: the post index read whole for its order). A
 * renderer's connection never scans whole where an index serves.
 */
static void
test_keyed_pg(void **state)
{
	const char *uri = pg_uri_or_skip();
	struct ledger_employee e;
	struct db_employee emp;
	struct db_link_want w[2];
	struct db_posts ps = { 0 };
	struct post_in in;
	enum db_upsert res;
	struct db_q *q;
	struct db *x, *r;
	struct buf plan;
	int64_t *sg = NULL, *dc = NULL, id, post = 0, more[2] = { 0, 0 };
	int64_t order[3];
	char code[RAND_CODE_LEN + 1];
	size_t nsg = 0, csg = 0, ndc = 0, cdc = 0, n = 0, i;
	char got[64], why[200], *sql[64];
	int planned;

	(void)state;
	assert_non_null(x = db_open(uri, 0));
	if (db_ledger_employees(x, 0, &e, 1) != 1) {
		assert_int_equal(db_begin(x), 0);
		assert_int_equal(db_employees_import_begin(x), 0);
		add(x, "keyed@example.com");
		assert_int_equal(db_commit(x), 0);
		assert_int_equal(db_ledger_employees(x, 0, &e, 1), 1);
	}
	memset(&in, 0, sizeof(in));
	in.title = in.summary = in.text = "x";
	in.url = "https://example.com/keyed";
	in.everyone = 1;
	assert_int_equal(db_begin(x), 0);
	assert_int_equal(db_posts_import_begin(x), 0);
	for (i = 0; i < 3; i++) {
		in.id = i == 0 ? "keyed-post" : i == 1 ? "keyed-b" : "keyed-c";
		assert_int_equal(db_posts_upsert(x, &in, NOW, &res), 0);
	}
	assert_int_equal(db_commit(x), 0);
	assert_int_equal(db_digest_candidates(x, "2027-03-01", &ps), 0);
	for (i = 0; i < ps.n; i++)
		if (strcmp(ps.v[i].ext_id, "keyed-post") == 0)
			post = ps.v[i].id;
		else if (strcmp(ps.v[i].ext_id, "keyed-b") == 0)
			more[0] = ps.v[i].id;
		else if (strcmp(ps.v[i].ext_id, "keyed-c") == 0)
			more[1] = ps.v[i].id;
	db_digest_posts_free(&ps);
	assert_true(post > 0 && more[0] > 0 && more[1] > 0);
	/* Known to the server as they are now: a few rows. */
	assert_non_null(q = db_q(x, "ANALYZE"));
	assert_int_equal(db_q_done(x, q, "analyze"), 0);
	settings_of(x, got, sizeof(got));
	assert_string_equal(got, "auto,on");

	assert_int_equal(db_begin(x), 0);
	assert_int_equal(db_ledger_claims_begin(x), 0);
	assert_int_equal(db_ledger_savepoint(x), 0);
	assert_int_equal(db_ledger_claim(x, e.id, "2027-03-01", "K", NOW, NOW,
	    &id, &planned), 1);
	settings_of(x, got, sizeof(got));
	assert_string_equal(got, "force_generic_plan,off");
	memset(&emp, 0, sizeof(emp));
	assert_int_equal(db_digest_plan_inputs(x, e.id, &emp, &sg, &nsg,
	    &csg, &dc, &ndc, &cdc), 1);
	/* A digest's suggestions, each at its rank. */
	order[0] = more[1];
	order[1] = post;
	order[2] = more[0];
	for (i = 0; i < 3; i++)
		assert_int_equal(db_digest_suggest(x, e.id, order[i], id,
		    "2027-03-01", (int)i), 0);
	memset(w, 0, sizeof(w));
	w[0].post_id = w[1].post_id = post;
	w[0].network = NET_LINKEDIN;
	w[1].network = NET_X;
	assert_int_equal(db_links_ensure_all(x, e.id, w, 2, NOW), 0);
	assert_int_equal(db_ledger_set_message_id(x, id, "<k@x>", NOW), 0);
	/* The rarer statements of a claim: a link made one at a time (a
	 * code to draw), the week's other digests, a digest finished in the
	 * claim's transaction. */
	code[0] = '\0';
	assert_true(db_links_ensure(x, e.id, post, NET_FACEBOOK, NOW,
	    code) >= 0);
	assert_true(db_digest_ledger_other(x, e.id, "2027-03-01",
	    "2027-03-07", "2027-03-01") >= 0);
	assert_int_equal(db_ledger_finish(x, id, "K", LEDGER_SENDING, NULL, 0,
	    NOW), 0);
	assert_int_equal(db_ledger_savepoint_release(x), 0);
	assert_int_equal(db_digest_planned(x, id, &ps), 0);
	assert_int_equal(ps.n, 3);
	assert_string_equal(ps.v[0].ext_id, "keyed-c");
	assert_string_equal(ps.v[1].ext_id, "keyed-post");
	assert_string_equal(ps.v[2].ext_id, "keyed-b");
	db_digest_posts_free(&ps);

	/* Each statement the connection prepared, EXPLAINed with the plan
	 * this transaction uses (each text its own: the cache keeps it). */
	assert_non_null(q = db_q(x, "SELECT name, cardinality("
	    "parameter_types) FROM pg_prepared_statements "
	    "WHERE name LIKE 'chorus_%' AND statement NOT LIKE '%current_set%' "
	    "AND statement NOT LIKE '%pg_prepared_statements%' "
	    "AND statement NOT LIKE 'EXPLAIN%' AND statement NOT LIKE 'SET %' "
	    "AND statement NOT LIKE 'ANALYZE%' ORDER BY name"));
	while (n < sizeof(sql) / sizeof(sql[0]) && db_q_step(q) == DB_Q_ROW) {
		struct buf text;
		int k, np = (int)db_q_col_int64(q, 1);

		buf_init(&text, 0);
		(void)buf_printf(&text, "EXPLAIN EXECUTE %s",
		    db_q_col_text(q, 0));
		for (k = 0; k < np; k++)
			(void)buf_printf(&text, "%sNULL", k ? ", " : "(");
		if (np > 0)
			(void)buf_printf(&text, ")");
		sql[n++] = xstrdup(buf_cstr(&text));
		buf_release(&text);
	}
	db_q_reset(q);
	assert_true(n >= 6);
	buf_init(&plan, 0);
	for (i = 0; i < n; i++) {
		assert_non_null(q = db_q(x, sql[i]));
		(void)buf_printf(&plan, "-- %s\n", sql[i]);
		while (db_q_step(q) == DB_Q_ROW)
			(void)buf_printf(&plan, "%s\n", db_q_col_text(q, 0));
		db_q_reset(q);
	}
	if (plan_scans_whole(buf_cstr(&plan), why, sizeof(why)))
		fail_msg("a claim's plan reads a grown table whole: %s\n%s",
		    why, buf_cstr(&plan));
	buf_release(&plan);
	assert_int_equal(db_commit(x), 0);
	settings_of(x, got, sizeof(got));
	assert_string_equal(got, "auto,on");
	db_digest_employee_clear(&emp);
	free(emp.rolebuf);
	free(sg);
	free(dc);
	db_close(x);
	for (i = 0; i < n; i++)
		free(sql[i]);

	assert_non_null(r = db_open(uri, DB_READONLY));
	assert_int_equal(db_digest_render_tune(r), 0);
	settings_of(r, got, sizeof(got));
	assert_string_equal(got, "auto,off");
	db_close(r);
}

/* The number of rows of later_t, read with pg_exec. */
static long
later_count(struct pg *pg)
{
	struct pg_result *res;
	long n;

	assert_int_equal(pg_exec(pg, "SELECT count(*) FROM later_t", 0, NULL,
	    &res), PG_OK);
	n = strtol(pg_result_value(res, 0, 0), NULL, 10);
	pg_result_free(res);
	return n;
}

/* pg_later()'s queue: sent with the next statement, its failure that
 * statement's; dropped by a ROLLBACK and outside a transaction; a queued
 * prepared statement keeps the values bound when it was queued. */
static void
test_later_pg(void **state)
{
	const char *uri = pg_uri_or_skip();
	struct pg_stmt *ins;
	struct pg *pg;
	struct pg_result *res;

	(void)state;
	assert_non_null(pg = pg_connect(uri, 0));
	assert_int_equal(pg_exec_script(pg,
	    "CREATE TEMP TABLE later_t (v INTEGER PRIMARY KEY)"), PG_OK);

	/* A queued write that fails fails the next statement. */
	assert_int_equal(pg_exec_script(pg, "BEGIN"), PG_OK);
	assert_int_equal(pg_later(pg, "INSERT INTO later_t VALUES (1)"), 0);
	assert_int_equal(pg_later(pg, "INSERT INTO later_t VALUES (1)"), 0);
	assert_int_not_equal(pg_exec(pg, "SELECT 1", 0, NULL, &res), PG_OK);
	assert_string_equal(pg_sqlstate(pg), "23505");
	assert_int_equal(pg_exec_script(pg, "ROLLBACK"), PG_OK);
	assert_int_equal(later_count(pg), 0);

	/* A ROLLBACK drops the queue unsent; a COMMIT sends it first. */
	assert_int_equal(pg_exec_script(pg, "BEGIN"), PG_OK);
	assert_int_equal(pg_later(pg, "INSERT INTO later_t VALUES (2)"), 0);
	assert_int_equal(pg_exec_script(pg, "ROLLBACK"), PG_OK);
	assert_int_equal(later_count(pg), 0);
	assert_int_equal(pg_exec_script(pg, "BEGIN"), PG_OK);
	assert_int_equal(pg_later(pg, "INSERT INTO later_t VALUES (3)"), 0);
	assert_int_equal(pg_exec_script(pg, "COMMIT"), PG_OK);
	assert_int_equal(later_count(pg), 1);

	/* Outside a transaction the queue is dropped, not run on its own. */
	assert_int_equal(pg_later(pg, "INSERT INTO later_t VALUES (4)"), 0);
	assert_int_equal(later_count(pg), 1);

	/* A prepared statement queued twice, bound again at once; then read
	 * by a prepared statement's step. */
	assert_non_null(ins = pg_stmt_prepare(pg,
	    "INSERT INTO later_t VALUES (CAST(?1 AS INTEGER))"));
	assert_int_equal(pg_exec_script(pg, "BEGIN"), PG_OK);
	assert_int_equal(pg_stmt_bind(ins, 1, "5", 1, 0), 0);
	assert_int_equal(pg_stmt_later(ins), 0);
	assert_int_equal(pg_stmt_bind(ins, 1, "6", 1, 0), 0);
	assert_int_equal(pg_stmt_later(ins), 0);
	assert_int_equal(pg_stmt_bind(ins, 1, "7", 1, 0), 0);
	assert_int_equal(pg_stmt_step(ins), 0);
	assert_int_equal(pg_exec_script(pg, "COMMIT"), PG_OK);
	assert_int_equal(pg_exec(pg, "SELECT string_agg(v::text, ',' "
	    "ORDER BY v) FROM later_t", 0, NULL, &res), PG_OK);
	assert_string_equal(pg_result_value(res, 0, 0), "3,5,6,7");
	pg_result_free(res);

	/* A pipeline sends the queue first, in it, in the transaction; a
	 * queued command that fails fails the pipeline at its place. */
	{
		struct pg_stmt *sel;
		size_t failed;

		assert_non_null(sel = pg_stmt_prepare(pg,
		    "SELECT count(*) FROM later_t WHERE v = 8"));
		assert_int_equal(pg_exec_script(pg, "BEGIN"), PG_OK);
		assert_int_equal(pg_later(pg,
		    "INSERT INTO later_t VALUES (8)"), 0);
		assert_int_equal(pg_pipe_begin(pg), 0);
		assert_int_equal(pg_pipe_stmt(sel), 0);
		assert_int_equal(pg_pipe_end(pg, &failed), 0);
		assert_int_equal(pg_pipe_count(pg), 2);
		assert_int_equal(pg_stmt_step(sel), 1);
		assert_string_equal(pg_stmt_value(sel, 0), "1");
		pg_stmt_reset(sel);
		assert_int_equal(pg_later(pg,
		    "INSERT INTO later_t VALUES (8)"), 0);
		assert_int_equal(pg_pipe_begin(pg), 0);
		assert_int_equal(pg_pipe_stmt(sel), 0);
		assert_int_equal(pg_pipe_end(pg, &failed), -1);
		assert_int_equal(failed, 0);
		assert_string_equal(pg_sqlstate(pg), "23505");
		assert_int_equal(pg_exec_script(pg, "ROLLBACK"), PG_OK);
		assert_int_equal(later_count(pg), 4);
		/* Outside a transaction the queue is dropped, not sent. */
		assert_int_equal(pg_later(pg,
		    "INSERT INTO later_t VALUES (9)"), 0);
		assert_int_equal(pg_pipe_begin(pg), 0);
		assert_int_equal(pg_pipe_stmt(sel), 0);
		assert_int_equal(pg_pipe_end(pg, &failed), 0);
		assert_int_equal(pg_pipe_count(pg), 1);
		pg_stmt_reset(sel);
		assert_int_equal(later_count(pg), 4);
		pg_stmt_free(sel);
	}
	pg_stmt_free(ins);
	pg_close(pg);
}

/* A read-only connection (the renderers') stays read-only when it is
 * made again after its server process ended. */
/* A connection made again whose session SET fails is not used without
 * it: its statements fail (as on a lost connection) until it is made
 * again with the SET. */
static void
test_session_lost_pg(void **state)
{
	const char *uri = pg_uri_or_skip();
	struct pg *pg, *killer;
	struct pg_result *res;
	char sql[128];

	(void)state;
	assert_non_null(pg = pg_connect(uri, 0));
	assert_non_null(killer = pg_connect(uri, 0));
	/* A SET that fails whenever it runs. */
	assert_int_equal(pg_session(pg, "SET no_such_setting_here = 1"), -1);
	assert_int_equal(pg_exec(pg, "SELECT pg_backend_pid()", 0, NULL,
	    &res), PG_OK);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)",
	    pg_result_value(res, 0, 0));
	pg_result_free(res);
	assert_int_equal(pg_exec(killer, sql, 0, NULL, NULL), PG_OK);
	assert_int_not_equal(pg_exec(pg, "SELECT 1", 0, NULL, NULL), PG_OK);
	assert_int_equal(pg_revive(pg), -1);
	assert_int_not_equal(pg_exec(pg, "SELECT 1", 0, NULL, NULL), PG_OK);
	assert_int_equal(pg_retryable(pg), 1);
	pg_close(killer);
	pg_close(pg);
}

/* Goes on with a stopped backend after at most 10 s, whatever the test
 * finds (a bound of the test, not a figure it checks), or as soon as the
 * test is done with it. */
static pthread_mutex_t cont_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cont_cv = PTHREAD_COND_INITIALIZER;
static int cont_done;

static void *
cont_later(void *arg)
{
	pid_t pid = *(pid_t *)arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&cont_mu);
	while (!cont_done && pthread_cond_timedwait(&cont_cv, &cont_mu,
	    &until) == 0)
		;
	pthread_mutex_unlock(&cont_mu);
	(void)kill(pid, SIGCONT);
	return NULL;
}

/* A watched connection's first PREPARE of a statement (db_q's, on first
 * use) is bounded too: the server silent, it fails at the deadline as on
 * a lost connection rather than wait for the server. */
static void
test_watch_prepare_pg(void **state)
{
	const char *uri = pg_uri_or_skip();
	struct pg *pg;
	struct pg_result *res;
	struct pg_stmt *st;
	pthread_t t;
	pid_t pid;

	(void)state;
	assert_non_null(pg = pg_connect(uri, 0));
	/* Long enough for a query and a connection on a busy machine,
	 * short against cont_later's 10 s. */
	assert_int_equal(pg_watch(pg, 3000), 0);
	assert_int_equal(pg_exec(pg, "SELECT pg_backend_pid()", 0, NULL,
	    &res), PG_OK);
	pid = (pid_t)atol(pg_result_value(res, 0, 0));
	pg_result_free(res);
	assert_int_equal(kill(pid, SIGSTOP), 0);
	assert_int_equal(pthread_create(&t, NULL, cont_later, &pid), 0);
	st = pg_stmt_prepare(pg, "SELECT 42");
	(void)kill(pid, SIGCONT);
	pthread_mutex_lock(&cont_mu);
	cont_done = 1;
	pthread_cond_signal(&cont_cv);
	pthread_mutex_unlock(&cont_mu);
	pthread_join(t, NULL);
	assert_null(st);
	assert_int_equal(pg_retryable(pg), 1);
	assert_int_equal(pg_revive(pg), 0);
	assert_non_null(st = pg_stmt_prepare(pg, "SELECT 42"));
	assert_int_equal(pg_stmt_step(st), 1);
	pg_stmt_free(st);
	pg_close(pg);
}

static void
expect_conninfo(struct pg *pg, const char *key, const char *want)
{
	char *v = pg_conninfo(pg, key);

	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

/* Over TCP a dead or cut-off server is given up in about 25 s (60 s with
 * data unacknowledged), not the system's hours: our keepalive and
 * tcp_user_timeout, unless the URI says otherwise. (libpq applies them
 * to TCP connections only; what is checked here is what the connection
 * was made with.) */
static void
test_keepalive_pg(void **state)
{
	const char *uri = pg_uri_or_skip();
	struct pg *pg;
	char with[1024];

	(void)state;
	assert_non_null(pg = pg_connect(uri, 0));
	expect_conninfo(pg, "keepalives_idle", "10");
	expect_conninfo(pg, "keepalives_interval", "5");
	expect_conninfo(pg, "keepalives_count", "3");
	expect_conninfo(pg, "tcp_user_timeout", "60000");
	assert_null(pg_conninfo(pg, "password"));
	pg_close(pg);
	snprintf(with, sizeof(with), "%s%ctcp_user_timeout=5000&"
	    "keepalives_idle=60", uri, strchr(uri, '?') != NULL ? '&' : '?');
	assert_non_null(pg = pg_connect(with, 0));
	expect_conninfo(pg, "tcp_user_timeout", "5000");
	expect_conninfo(pg, "keepalives_idle", "60");
	expect_conninfo(pg, "keepalives_count", "3");
	pg_close(pg);
}

static void
test_readonly_pg(void **state)
{
	const char *uri = pg_uri_or_skip();
	struct pg *ro, *rw;
	struct pg_result *res;
	char sql[1024];

	(void)state;
	/* A read-only session is still one target_session_attrs=read-write
	 * accepts (a URI listing a primary and its standby). */
	snprintf(sql, sizeof(sql), "%s%ctarget_session_attrs=read-write",
	    uri, strchr(uri, '?') != NULL ? '&' : '?');
	assert_non_null(ro = pg_connect(sql, 1));
	pg_close(ro);
	assert_non_null(ro = pg_connect(uri, 1));
	assert_non_null(rw = pg_connect(uri, 0));
	assert_int_equal(pg_exec(ro, "SELECT pg_backend_pid()", 0, NULL,
	    &res), PG_OK);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)",
	    pg_result_value(res, 0, 0));
	pg_result_free(res);
	assert_int_equal(pg_exec(rw, sql, 0, NULL, NULL), PG_OK);
	assert_int_not_equal(pg_exec(ro, "SELECT 1", 0, NULL, NULL), PG_OK);
	assert_int_equal(pg_revive(ro), 0);
	assert_int_equal(pg_exec(ro, "SHOW default_transaction_read_only", 0,
	    NULL, &res), PG_OK);
	assert_string_equal(pg_result_value(res, 0, 0), "on");
	pg_result_free(res);
	assert_int_equal(pg_exec(rw, "SHOW default_transaction_read_only", 0,
	    NULL, &res), PG_OK);
	assert_string_equal(pg_result_value(res, 0, 0), "off");
	pg_result_free(res);
	pg_close(ro);
	pg_close(rw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_employees),
		cmocka_unit_test(test_claim_once),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_retryable),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_claim_race_pg),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_outcomes_pg),
		cmocka_unit_test(test_claim_read_fail_pg),
		cmocka_unit_test(test_keyed_pg),
		cmocka_unit_test(test_later_pg),
		cmocka_unit_test(test_readonly_pg),
		cmocka_unit_test(test_keepalive_pg),
		cmocka_unit_test(test_session_lost_pg),
		cmocka_unit_test(test_watch_prepare_pg),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
