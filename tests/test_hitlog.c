/* Tests of the group-commit writer: every hit appended from several threads
 * is committed once, each callback says so, metrics see the batches, and a
 * batch that cannot commit is reported failed with nothing stored; the
 * multi-row inserts keep every row's values. The same without the writer
 * thread, where whoever calls hitlog_flush commits. On PostgreSQL (when
 * CHORUS_TEST_PG_URI names a database `chorus init` made, as
 * tests/e2e/pg_units.sh does): a server that stops answering a batch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "db/db.h"
#include "db/hits.h"
#include "db/stmt.h"
#include "redirector/hitlog.h"
#include "redirector/judge.h"
#include "redirector/metrics.h"

#define NTHREADS	4
#define PER_THREAD	500

static char path[64];

struct tally {
	pthread_mutex_t	 mu;
	int		 ok, failed, stale;
};

static void
settled(void *arg, enum hitlog_status st)
{
	struct tally *t = arg;

	pthread_mutex_lock(&t->mu);
	if (st == HITLOG_FAILED)
		t->failed++;
	else
		t->ok++;
	if (st == HITLOG_STALE)
		t->stale++;
	pthread_mutex_unlock(&t->mu);
}

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

/* After the last test, a failed one included (cmocka runs it): no
 * database left in /tmp. */
static int
group_teardown(void **state)
{
	(void)state;
	if (path[0] != '\0')
		remove_db();
	return 0;
}

static struct db *
fresh_db(void)
{
	struct db *db;

	snprintf(path, sizeof(path), "/tmp/test_hitlog.%ld.db", (long)getpid());
	remove_db();
	db = db_open(path, DB_CREATE);
	assert_true(db != NULL);
	assert_int_equal(db_migrate(db, NULL, NULL), 0);
	db_close(db);
	db = db_open(path, 0);
	assert_true(db != NULL);
	return db;
}

static void
fixture(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"INSERT INTO employees (id, "
	    "email, unsub_token, pref_token, created_at, updated_at) VALUES "
	    "(1, 'a@b.c', 'u', 'p', 0, 0); INSERT INTO posts (id, ext_id, "
	    "title, url, created_at, updated_at) VALUES (1, 'p', 't', "
	    "'https://e.com/', 0, 0); INSERT INTO links (id, code, "
	    "employee_id, post_id, network, created_at) VALUES (1, "
	    "'aaaaaaaaaa', 1, 1, 'x', 0), (2, 'bbbbbbbbbb', 1, 1, 'linkedin', "
	    "0); CREATE TRIGGER no_link_99 BEFORE INSERT ON hits "
	    "WHEN new.link_id = 99 BEGIN SELECT raise(ABORT, "
	    "'no link 99'); END;\"", path);
	assert_int_equal(system(cmd), 0);
}

static long
count_rows(const char *where)
{
	char cmd[512], line[64];
	FILE *fp;
	long n = -1;

	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"SELECT count(*) FROM hits "
	    "WHERE %s\"", path, where);
	fp = popen(cmd, "r");
	assert_true(fp != NULL);
	if (fgets(line, sizeof(line), fp) != NULL)
		n = strtol(line, NULL, 10);
	pclose(fp);
	return n;
}

struct appender {
	struct hitlog	*hl;
	struct tally	*t;
	int		 id;
};

static void *
append_many(void *arg)
{
	struct appender *a = arg;
	struct hit h;
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		memset(&h, 0, sizeof(h));
		h.link_id = 1 + (i & 1);
		h.ts = 1000 + i;
		h.kind = (i % 3) == 0 ? HIT_SHARE : HIT_CLICK;
		h.class = (enum hit_class)(i % (HIT_HEAD + 1));
		h.repeat = (i % 5) == 0;
		h.has_visitor = 1;
		h.gen = 1;
		memset(h.visitor, a->id, sizeof(h.visitor));
		while (hitlog_append(a->hl, &h, settled, a->t) == -1)
			usleep(100);	/* full: the writer catches up */
	}
	return NULL;
}

/* Without a writer thread: flushes until every hit is settled (at most
 * 20 s), as the one-thread server does between its passes. */
struct flusher {
	struct hitlog	*hl;
	struct tally	*t;
	size_t		 n;		/* entries this flusher settled */
};

static void *
flush_until(void *arg)
{
	struct flusher *f = arg;
	int i, done = 0;

	for (i = 0; i < 200000 && !done; i++) {
		f->n += hitlog_flush(f->hl);
		pthread_mutex_lock(&f->t->mu);
		done = f->t->ok + f->t->failed >= NTHREADS * PER_THREAD;
		pthread_mutex_unlock(&f->t->mu);
		if (!done)
			usleep(100);
	}
	return NULL;
}

/* NTHREADS append at once; the writer thread commits (nflushers 0) or
 * that many threads call hitlog_flush, taking turns. */
static void
commits_everything(int nflushers)
{
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct appender a[NTHREADS];
	struct flusher f[2];
	pthread_t th[NTHREADS], fth[2];
	size_t n;
	struct metrics *m = metrics_new();
	struct buf out;
	struct db *db;
	struct hitlog *hl;
	int i;

	db = fresh_db();
	fixture();
	hl = hitlog_open(db, 64, m);
	assert_true(hl != NULL);
	if (nflushers == 0)
		assert_int_equal(hitlog_start(hl), 0);
	for (i = 0; i < nflushers; i++) {
		f[i].hl = hl;
		f[i].t = &t;
		f[i].n = 0;
		assert_int_equal(pthread_create(&fth[i], NULL, flush_until,
		    &f[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		a[i].hl = hl;
		a[i].t = &t;
		a[i].id = i + 1;
		assert_int_equal(pthread_create(&th[i], NULL, append_many,
		    &a[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0, n = 0; i < nflushers; i++) {
		pthread_join(fth[i], NULL);
		n += f[i].n;
	}
	if (nflushers > 0)
		assert_int_equal(n, NTHREADS * PER_THREAD);
	hitlog_close(hl);
	/* Closed: nothing more is taken. */
	{
		struct hit h;

		memset(&h, 0, sizeof(h));
		h.link_id = 1;
		assert_int_equal(hitlog_append(hl, &h, settled, &t), -1);
	}
	hitlog_free(hl);

	assert_int_equal(t.ok, NTHREADS * PER_THREAD);
	assert_int_equal(t.failed, 0);
	assert_int_equal(t.stale, 0);
	assert_int_equal(count_rows("1"), NTHREADS * PER_THREAD);
	assert_int_equal(count_rows("kind = 'share'"),
	    NTHREADS * ((PER_THREAD + 2) / 3));
	assert_int_equal(count_rows("class = 'preview'"),
	    NTHREADS * (PER_THREAD / (HIT_HEAD + 1)));
	assert_int_equal(count_rows("length(visitor) = 16"),
	    NTHREADS * PER_THREAD);

	buf_init(&out, 1 << 20);
	assert_int_equal(metrics_render(m, &out), 0);
	assert_true(strstr(buf_cstr(&out),
	    "chorus_redirector_commit_batch_size_count ") != NULL);
	assert_true(strstr(buf_cstr(&out),
	    "chorus_redirector_hits_total{class=\"bot\"} 500\n") != NULL);
	buf_release(&out);
	metrics_free(m);
	remove_db();
}

static void
test_commits_everything(void **state)
{
	(void)state;
	commits_everything(0);
}

static void
test_flushers_commit_everything(void **state)
{
	(void)state;
	commits_everything(1);
	commits_everything(2);
}

/* Without a writer thread nothing commits until hitlog_flush, which
 * settles everything queued before it returns, on the caller's thread. */
static void
test_flush(void **state)
{
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct hitlog *hl;
	struct hit h;
	struct db *db;
	int i;

	(void)state;
	db = fresh_db();
	fixture();
	hl = hitlog_open(db, 8, NULL);
	assert_true(hl != NULL);
	memset(&h, 0, sizeof(h));
	h.link_id = 1;
	h.gen = 1;
	for (i = 0; i < 3; i++)
		assert_int_equal(hitlog_append(hl, &h, settled, &t), 0);
	assert_int_equal(hitlog_probe(hl, 1234, settled, &t), 0);
	assert_int_equal(hitlog_depth(hl), 4);
	usleep(20000);
	assert_int_equal(t.ok + t.failed, 0);
	assert_int_equal(count_rows("1"), 0);
	assert_int_equal(hitlog_flush(hl), 4);
	assert_int_equal(t.ok, 4);
	assert_int_equal(hitlog_depth(hl), 0);
	assert_int_equal(count_rows("1"), 3);
	assert_int_equal(hitlog_flush(hl), 0);
	/* Closing commits what is still queued, here on this thread. */
	assert_int_equal(hitlog_append(hl, &h, settled, &t), 0);
	hitlog_close(hl);
	assert_int_equal(t.ok, 5);
	assert_int_equal(count_rows("1"), 4);
	hitlog_free(hl);
	remove_db();
}

/* Without a writer thread, a flush that meets another connection's write
 * lock does not wait: the hits stay queued and a retry is due within
 * 25 ms; once the lock is gone, a due flush commits them. */
static void
test_flush_locked(void **state)
{
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct hitlog *hl;
	struct db *db, *holder;
	struct hit h;
	long ms;
	int i;

	(void)state;
	db = fresh_db();
	fixture();
	hl = hitlog_open(db, 8, NULL);
	assert_true(hl != NULL);
	assert_int_equal(hitlog_retry_ms(hl), -1);
	holder = db_open(path, 0);
	assert_true(holder != NULL);
	assert_int_equal(db_begin(holder), 0);
	memset(&h, 0, sizeof(h));
	h.link_id = 1;
	h.gen = 1;
	assert_int_equal(hitlog_append(hl, &h, settled, &t), 0);
	assert_int_equal(hitlog_append(hl, &h, settled, &t), 0);
	assert_int_equal(hitlog_flush(hl), 0);
	assert_int_equal(t.ok + t.failed, 0);
	assert_int_equal(hitlog_depth(hl), 2);
	ms = hitlog_retry_ms(hl);
	assert_true(ms >= 0 && ms <= 25);
	/* Before the retry is due, a flush does nothing, even with more. */
	assert_int_equal(hitlog_append(hl, &h, settled, &t), 0);
	if (hitlog_retry_ms(hl) > 0) {
		assert_int_equal(hitlog_flush(hl), 0);
		assert_int_equal(hitlog_depth(hl), 3);
	}
	assert_int_equal(db_commit(holder), 0);
	db_close(holder);
	for (i = 0; i < 100 && hitlog_depth(hl) > 0; i++) {
		if ((ms = hitlog_retry_ms(hl)) > 0)
			usleep((useconds_t)ms * 1000);
		(void)hitlog_flush(hl);
	}
	assert_int_equal(t.ok, 3);
	assert_int_equal(t.failed, 0);
	assert_int_equal(hitlog_retry_ms(hl), -1);
	assert_int_equal(count_rows("1"), 3);
	hitlog_free(hl);
	remove_db();
}

static void
test_failed_batch(void **state)
{
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct hitlog *hl;
	struct hit h;
	struct db *db;

	(void)state;
	db = fresh_db();
	fixture();
	hl = hitlog_open(db, 16, NULL);
	assert_true(hl != NULL);
	assert_int_equal(hitlog_start(hl), 0);
	memset(&h, 0, sizeof(h));
	/* Link 99: the fixture's trigger fails the batch. */
	h.link_id = 99;
	assert_int_equal(hitlog_append(hl, &h, settled, &t), 0);
	hitlog_close(hl);
	hitlog_free(hl);
	assert_int_equal(t.ok, 0);
	assert_int_equal(t.failed, 1);
	assert_int_equal(count_rows("1"), 0);
	remove_db();
}

static void
test_stale(void **state)
{
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct hitlog *hl;
	struct hit h;
	struct db *db;
	char cmd[256];

	(void)state;
	db = fresh_db();
	fixture();
	hl = hitlog_open(db, 16, NULL);
	assert_true(hl != NULL);
	assert_int_equal(hitlog_start(hl), 0);
	assert_true(hitlog_generation(hl) == 1);
	/* An import changes a post's URL: the generation moves on. */
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE posts SET url = "
	    "'https://e.com/new' WHERE id = 1\"", path);
	assert_int_equal(system(cmd), 0);
	memset(&h, 0, sizeof(h));
	h.link_id = 1;
	h.gen = 1;		/* answer built before the change */
	assert_int_equal(hitlog_append(hl, &h, settled, &t), 0);
	hitlog_close(hl);
	assert_true(hitlog_generation(hl) == 2);
	hitlog_free(hl);
	assert_int_equal(t.ok, 1);
	assert_int_equal(t.stale, 1);
	assert_int_equal(count_rows("1"), 1);
	remove_db();
}

/* 41 rows take the 32-, 8- and 1-row statements; each row keeps its own
 * values, with and without a visitor. */
static void
test_insert_many(void **state)
{
	struct hit hits[41];
	const struct hit *p[41];
	struct db *db;
	size_t i;

	(void)state;
	db = fresh_db();
	fixture();
	for (i = 0; i < 41; i++) {
		memset(&hits[i], 0, sizeof(hits[i]));
		hits[i].link_id = 1 + (int64_t)(i % 2);
		hits[i].ts = 5000 + (int64_t)i;
		hits[i].kind = i == 40 ? HIT_SHARE : HIT_CLICK;
		hits[i].class = i >= 32 ? HIT_BOT : HIT_HUMAN;
		hits[i].repeat = i == 7;
		hits[i].has_visitor = i % 4 != 0;
		memset(hits[i].visitor, (int)i, sizeof(hits[i].visitor));
		p[i] = &hits[i];
	}
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_hits_insert_many(db, p, NULL, 41, NULL), 0);
	assert_int_equal(db_commit(db), 0);
	db_close(db);
	assert_int_equal(count_rows("1"), 41);
	assert_int_equal(count_rows("visitor IS NULL"), 11);
	assert_int_equal(count_rows("link_id = 2 AND ts % 2 = 1"), 20);
	assert_int_equal(count_rows("class = 'bot' AND ts >= 5032"), 9);
	assert_int_equal(count_rows("kind = 'share' AND ts = 5040"), 1);
	assert_int_equal(count_rows("repeat = 1 AND ts = 5007"), 1);
	assert_int_equal(count_rows("ts = 5039 AND visitor = "
	    "x'27272727272727272727272727272727'"), 1);
	remove_db();
}

static void
test_probe(void **state)
{
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct hitlog *hl;
	struct db *db;

	(void)state;
	db = fresh_db();
	hl = hitlog_open(db, 4, NULL);
	assert_true(hl != NULL);
	assert_int_equal(hitlog_start(hl), 0);
	assert_int_equal(hitlog_probe(hl, 1234, settled, &t), 0);
	hitlog_close(hl);
	hitlog_free(hl);
	assert_int_equal(t.ok, 1);
	assert_int_equal(count_rows("1"), 0);
	remove_db();
}

/* A batch of hits that fails for another reason than disk space (here a
 * trigger) leaves the next probe to say: it commits, so it is ok. (A
 * full disk holding probes failed is tests/e2e/fault_diskfull.sh.) */
static void
test_probe_after_failed_hits(void **state)
{
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct hitlog *hl;
	struct hit h;
	struct db *db;
	int i;

	(void)state;
	db = fresh_db();
	fixture();
	hl = hitlog_open(db, 4, NULL);
	assert_true(hl != NULL);
	assert_int_equal(hitlog_start(hl), 0);
	memset(&h, 0, sizeof(h));
	h.link_id = 99;		/* the fixture's trigger fails it */
	h.gen = 1;
	assert_int_equal(hitlog_append(hl, &h, settled, &t), 0);
	for (i = 0; i < 5000; i++) {
		pthread_mutex_lock(&t.mu);
		if (t.failed + t.ok >= 1)
			i = 5000;
		pthread_mutex_unlock(&t.mu);
		if (i < 5000)
			usleep(1000);
	}
	assert_int_equal(t.failed, 1);
	assert_int_equal(hitlog_probe(hl, 1234, settled, &t), 0);
	hitlog_close(hl);
	hitlog_free(hl);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.ok, 1);
	remove_db();
}

static void
judged_append(struct hitlog *hl, struct tally *t, int64_t link, int64_t ts)
{
	struct hit h;

	memset(&h, 0, sizeof(h));
	h.link_id = link;
	h.employee_id = 1;
	h.ts = ts;
	h.gen = 1;
	assert_int_equal(hitlog_append(hl, &h, settled, t), 0);
}

/* With the judge: a sweep seen across two batches revises the first
 * batch's committed rows in the second's transaction (and names them for
 * the roll-up); a batch that fails is forgotten by the judge too, so no
 * revision points at an id that the next batch reuses. */
static void
test_judged(void **state)
{
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
	struct judge_conf jc = { 5, 4, 3, 600 };
	struct metrics *m = metrics_new();
	struct hitlog *hl;
	struct buf out;
	struct db *db;
	char cmd[512];

	(void)state;
	db = fresh_db();
	fixture();
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"INSERT INTO links (id, code, "
	    "employee_id, post_id, network, created_at) VALUES (3, "
	    "'cccccccccc', 1, 1, 'facebook', 0)\"", path);
	assert_int_equal(system(cmd), 0);
	hl = hitlog_open(db, 16, m);
	assert_true(hl != NULL);
	hitlog_judge(hl, &jc);
	judged_append(hl, &t, 1, 1000);
	judged_append(hl, &t, 2, 1000);
	assert_int_equal(hitlog_flush(hl), 2);
	assert_int_equal(count_rows("class = 'human'"), 2);
	/* A batch that fails whole (link 99 refused): ids 3 and 4 are not
	 * kept. */
	judged_append(hl, &t, 3, 1001);
	judged_append(hl, &t, 99, 1001);
	assert_int_equal(hitlog_flush(hl), 2);
	assert_int_equal(t.failed, 2);
	assert_int_equal(count_rows("1"), 2);
	/* The same hit on link 3 again: three links, not fresh, no sweep;
	 * had the judge kept the failed batch, it would see four. */
	judged_append(hl, &t, 3, 1001);
	assert_int_equal(hitlog_flush(hl), 1);
	assert_int_equal(count_rows("class = 'human'"), 3);
	/* A page of the digest seen: the fourth link of the sweep. */
	{
		struct hit h;

		memset(&h, 0, sizeof(h));
		h.link_id = JUDGE_URL_PREF;
		h.employee_id = 1;
		h.ts = 1002;
		assert_int_equal(hitlog_observe(hl, &h), 0);
	}
	assert_int_equal(hitlog_flush(hl), 1);
	assert_int_equal(count_rows("class = 'scanner'"), 3);
	assert_int_equal(count_rows("1"), 3);
	hitlog_free(hl);
	assert_int_equal(t.ok, 3);

	buf_init(&out, 1 << 20);
	assert_int_equal(metrics_render(m, &out), 0);
	assert_non_null(strstr(buf_cstr(&out),
	    "chorus_redirector_hits{class=\"scanner\"} 3\n"));
	assert_non_null(strstr(buf_cstr(&out),
	    "chorus_redirector_hits{class=\"human\"} 0\n"));
	assert_non_null(strstr(buf_cstr(&out),
	    "chorus_redirector_hits_total{class=\"human\"} 3\n"));
	assert_non_null(strstr(buf_cstr(&out),
	    "chorus_redirector_hit_revisions_total{from=\"human\","
	    "to=\"scanner\"} 3\n"));
	buf_release(&out);
	metrics_free(m);
	snprintf(cmd, sizeof(cmd), "test \"$(sqlite3 %s 'SELECT count(*) FROM "
	    "report_dirty')\" = 3", path);
	assert_int_equal(system(cmd), 0);
	/* The page is stored with the batch, for the reports' judge of
	 * every redirector's hits (its link, the page negated). */
	snprintf(cmd, sizeof(cmd), "test \"$(sqlite3 %s 'SELECT ts, "
	    "employee_id, digest_id, delivered, page FROM page_views')\" = "
	    "'1002|1|0|0|2'", path);
	assert_int_equal(system(cmd), 0);
	remove_db();
}

/* One settled request, for test_pg_stalled. */
struct one_wait {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 done;
	enum hitlog_status st;
};

static void
one_settled(void *arg, enum hitlog_status st)
{
	struct one_wait *w = arg;

	pthread_mutex_lock(&w->mu);
	w->st = st;
	w->done = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* Waits for w to settle, for at most 60 s (a bound of the test, not a
 * figure it checks): whether it did. */
static int
settle_wait(struct one_wait *w)
{
	struct timespec until;
	int done;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 60;
	pthread_mutex_lock(&w->mu);
	while (!w->done && pthread_cond_timedwait(&w->cv, &w->mu,
	    &until) == 0)
		;
	done = w->done;
	pthread_mutex_unlock(&w->mu);
	return done;
}

/* Appends h and waits for its batch: its status. */
static enum hitlog_status
append_wait(struct hitlog *hl, const struct hit *h)
{
	static struct one_wait w = { PTHREAD_MUTEX_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, 0, HITLOG_FAILED };

	w.done = 0;
	assert_int_equal(hitlog_append(hl, h, one_settled, &w), 0);
	assert_true(settle_wait(&w));
	return w.st;
}

/* Runs sql (no rows); returns db, for assert_non_null. */
static struct db *
q_done_sql(struct db *db, const char *sql)
{
	struct db_q *q;

	assert_non_null(q = db_q(db, sql));
	assert_int_equal(db_q_done(db, q, "test"), 0);
	return db;
}

static int64_t
pg_one(struct db *db, const char *sql)
{
	struct db_q *q;
	int64_t v;

	assert_non_null(q = db_q(db, sql));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	v = db_q_col_int64(q, 0);
	db_q_reset(q);
	return v;
}

/* The server's backend of the writer's connection stops (SIGSTOP: as a
 * frozen host or a stalled disk, the socket open and silent). The
 * waiting request is answered as failed (503) once the watchdog's
 * deadline passes, rather than held until the server comes back; the
 * next batch connects again and commits. */
static void
test_pg_stalled(void **state)
{
	const char *uri = getenv("CHORUS_TEST_PG_URI");
	struct db *c, *b;
	static struct one_wait stalled = { PTHREAD_MUTEX_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, 0, HITLOG_FAILED };
	struct hitlog *hl;
	struct hit h;
	pid_t pid;
	int got;

	(void)state;
	if (uri == NULL || *uri == '\0') {
		fprintf(stderr, "test_hitlog: CHORUS_TEST_PG_URI not set: "
		    "PostgreSQL skipped\n");
		skip();
	}
	/* Long enough for a commit on a busy machine (the first batch and
	 * the last must commit), short against settle_wait's bound. */
	assert_int_equal(setenv("CHORUS_TEST_COMMIT_DEADLINE_MS", "3000", 1),
	    0);
	assert_non_null(b = db_open(uri, 0));
	assert_non_null(q_done_sql(b, "DELETE FROM hits WHERE link_id = 9301"));
	assert_non_null(c = db_open(uri, 0));
	pid = (pid_t)pg_one(c, "SELECT pg_backend_pid()");
	assert_non_null(hl = hitlog_open(c, 16, NULL));
	assert_int_equal(hitlog_start(hl), 0);
	memset(&h, 0, sizeof(h));
	h.link_id = 9301;
	h.ts = 86400 * 20000;
	h.kind = HIT_CLICK;
	h.class = HIT_HUMAN;
	h.gen = hitlog_generation(hl);
	/* The first batch commits. */
	assert_int_not_equal(append_wait(hl, &h), HITLOG_FAILED);
	/* Stopped: the request waits on w (static: a callback that came
	 * after a failed wait would find it), then the server goes on
	 * before anything is checked. */
	assert_int_equal(kill(pid, SIGSTOP), 0);
	h.ts++;
	assert_int_equal(hitlog_append(hl, &h, one_settled, &stalled), 0);
	got = settle_wait(&stalled);
	assert_int_equal(kill(pid, SIGCONT), 0);
	if (!got)
		(void)settle_wait(&stalled);
	assert_true(got);
	assert_int_equal(stalled.st, HITLOG_FAILED);
	/* Made again, the next batch commits: the first and this one are
	 * kept (whether the stopped one committed, once its backend went
	 * on, is not known: the 503 said nothing either way; not counted). */
	h.ts++;
	assert_int_not_equal(append_wait(hl, &h), HITLOG_FAILED);
	hitlog_free(hl);
	assert_int_equal(pg_one(b, "SELECT count(*) FROM hits WHERE "
	    "link_id = 9301 AND ts <> 86400 * 20000 + 1"), 2);
	assert_non_null(q_done_sql(b, "DELETE FROM hits WHERE link_id = 9301"));
	db_close(b);
	unsetenv("CHORUS_TEST_COMMIT_DEADLINE_MS");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commits_everything),
		cmocka_unit_test(test_flushers_commit_everything),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_flush_locked),
		cmocka_unit_test(test_failed_batch),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_insert_many),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_probe_after_failed_hits),
		cmocka_unit_test(test_judged),
		cmocka_unit_test(test_pg_stalled),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
