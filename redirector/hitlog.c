/*
 * hitlog: the group-commit writer. Two arrays trade places: request threads
 * fill one under the mutex while the writer commits the other without it,
 * so a batch holds everything that arrived during the previous commit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db.h"
#include "db/hits.h"
#include "db/stmt.h"
#include "redirector/hitlog.h"
#include "redirector/judge.h"
#include "redirector/metrics.h"

struct hitlog_entry {
	struct hit	 hit;
	enum hit_class	 routed;	/* hit.class as appended */
	int		 probe;		/* health probe, not a hit */
	int		 observe;	/* for the judge only, not a hit */
	hitlog_done_fn	*done;		/* NULL with observe */
	void		*arg;
};

/* Between passive checkpoints. Often enough that each copies little and
 * the log stays short: at 250 ms the keep-alive p99 of bench/redirector.sh
 * was 1.55-2.36 ms, at 100 ms 1.41-1.69 ms (two cores, one thread). */
#define CHECKPOINT_MS	100
#define LINGER_US	100	/* longest wait for a batch to fill */
#define HEALTH_HOLD_NS	(10 * 1000000000ull)	/* see hitlog_run */
#define REVISIONS_MAX	4096	/* per batch; see hitlog_judge_batch */
/* A batch that failed for a reason that may pass (PostgreSQL unreachable,
 * a deadlock) is tried again, the connection made again first: at once
 * when that worked (a restarted server), else after RETRY_FIRST_MS, then
 * twice as long each time up to RETRY_MAX_MS, for up to RETRY_BOUND_MS in
 * all: then its requests are answered 503. While the store stays
 * unreachable, the next batches are tried once each (their answers are
 * 503 at once), until one commits. CHORUS_TEST_NO_RETRY turns both the
 * retries and the reconnection off, for the tests to see them matter. */
#define RETRY_FIRST_MS	10
#define RETRY_MAX_MS	500
#define RETRY_BOUND_MS	3000
/* A call to a store across the network that has not been answered for
 * this long (a frozen host, a stalled disk, a network split without a
 * reset) has its connection dropped (db_watch): a batch then ends as on
 * a lost connection (503, not tried again, as it may have committed)
 * and the next one connects again. Longer than one wait for a lock
 * (PG_WAIT_TIMEOUT_MS, 10 s), after which a statement fails by itself;
 * a call that waits for two locks in turn, or for a synchronous replica,
 * may meet it, and is answered 503 as a lost connection would be.
 * CHORUS_TEST_COMMIT_DEADLINE_MS shortens it for the tests. */
#define COMMIT_DEADLINE_MS	15000

struct hitlog {
	struct db		*db;
	struct db		*ckdb;		/* the checkpointer's */
	pthread_t		 checkpointer;
	int			 has_checkpointer;
	struct metrics		*m;
	pthread_t		 writer;
	pthread_mutex_t		 mu;
	pthread_mutex_t		 flushing;	/* one hitlog_flush at once */
	pthread_cond_t		 wake;		/* the writer's */
	pthread_cond_t		 ckwake;	/* the checkpointer's */
	struct hitlog_entry	*queue;		/* filled by appenders */
	struct hitlog_entry	*batch;		/* owned by the writer */
	const struct hit	**rows;		/* the writer's, cap long */
	const struct hit	**pages;	/* the footer pages seen, too */
	int64_t			*ids;		/* their ids, cap long */
	int			 down;		/* the last batch gave up */
	int			 no_retry;	/* CHORUS_TEST_NO_RETRY */
	size_t			 n, cap;
	size_t			 want;		/* wake the writer at this n */
	int			 closing;
	int			 has_writer;
	uint64_t		 hits_failed;	/* see hitlog_settle */
	/* Without a writer thread, while another connection holds the
	 * write lock (see hitlog_flush_wait): */
	uint64_t		 busy_since;	/* 0: not held */
	uint64_t		 retry_at;
	uint64_t		 retry_ns;
	_Atomic uint64_t	 gen;		/* link generation */
	_Atomic uint64_t	 commit_ns;	/* the last batch's */
	int			 remote;	/* db_hits_remote() */
	struct judge		*judge;		/* NULL: classes as routed */
	struct judge_rev	*revs;		/* REVISIONS_MAX */
	size_t			 nrevs;		/* applied by the last commit */
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

unsigned
hitlog_deadline_ms(void)
{
	const char *env = getenv("CHORUS_TEST_COMMIT_DEADLINE_MS");
	unsigned long v;
	char *end;

	if (env != NULL) {
		v = strtoul(env, &end, 10);
		if (end != env && *end == '\0' && v > 0 && v <= UINT32_MAX)
			return (unsigned)v;
	}
	return COMMIT_DEADLINE_MS;
}

/* The hit of the row of b that is inserted as id (probes and observations
 * make none), or NULL. */
static struct hit *
hitlog_row_of(struct hitlog *hl, struct hitlog_entry *b, size_t n,
    int64_t id)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (b[i].probe || b[i].observe)
			continue;
		if (hl->ids[k++] == id)
			return &b[i].hit;
	}
	return NULL;
}

/*
 * Judges the batch's hits in order, after every hit before them, inside
 * the open transaction. The ids the rows will get, hl->ids[0..nrows-1] in
 * the order of b, are reserved before the insert (db_hits_reserve), all
 * larger than any this hitlog inserted before, so a revision of a hit of
 * this very batch just changes the class it is inserted with; revisions
 * of committed hits are kept in hl->revs for hitlog_judge_apply.
 */
static void
hitlog_judge_batch(struct hitlog *hl, struct hitlog_entry *b, size_t n,
    size_t nrows)
{
	int64_t first = nrows > 0 ? hl->ids[0] : INT64_MAX;
	size_t i, k, r = 0, nrev = 0, got;
	struct hit *own;

	judge_mark(hl->judge, first);
	for (i = 0; i < n; i++) {
		if (b[i].probe)
			continue;
		got = judge_hit(hl->judge, b[i].observe ? 0 : hl->ids[r],
		    &b[i].hit, hl->revs + nrev, REVISIONS_MAX - nrev);
		if (!b[i].observe)
			r++;
		/* A revision of this batch's own rows: the class they go
		 * in with. */
		for (k = nrev; k < nrev + got; k++) {
			if (hl->revs[k].id < first)
				continue;
			if ((own = hitlog_row_of(hl, b, n,
			    hl->revs[k].id)) != NULL)
				own->class = hl->revs[k].to;
			hl->revs[k].id = 0;
		}
		nrev += got;
	}
	hl->nrevs = nrev;
}

/* Writes the revisions of committed hits that hitlog_judge_batch found,
 * keeping in hl->revs those that changed a row (for the metrics). */
static int
hitlog_judge_apply(struct hitlog *hl)
{
	size_t i, kept = 0;
	enum hit_class from;
	int rc;

	for (i = 0; i < hl->nrevs; i++) {
		if (hl->revs[i].id == 0)
			continue;
		rc = db_hits_revise(hl->db, hl->revs[i].id, hl->revs[i].to,
		    &from);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			hl->revs[kept] = hl->revs[i];
			hl->revs[kept++].from = from;
		}
	}
	hl->nrevs = kept;
	return 0;
}

/* Inserts the batch in one transaction; returns 0 when it committed, -1
 * when it failed before COMMIT, -2 when COMMIT itself failed (its outcome
 * may be unknown: the batch is not tried again). The link generation is
 * read inside it, so it is the one of the commit. Unless wait, another
 * connection's write lock is not waited for: 1, and nothing happened. */
static int
hitlog_commit(struct hitlog *hl, struct hitlog_entry *b, size_t n,
    int wait, uint64_t *gen, int *full)
{
	size_t i, nrows = 0, npages = 0;
	time_t probe = 0;
	int rc, judged = 0;

	*full = 0;
	hl->nrevs = 0;
	for (i = 0; i < n; i++) {
		b[i].hit.class = b[i].routed;	/* a retry judges anew */
		if (b[i].probe && (time_t)b[i].hit.ts > probe)
			probe = (time_t)b[i].hit.ts;
		else if (b[i].observe)
			hl->pages[npages++] = &b[i].hit;
		else if (!b[i].probe)
			hl->rows[nrows++] = &b[i].hit;
	}
	/* The transaction, the generation (the one of the commit) and the
	 * ids: on PostgreSQL no round trip while ids taken ahead last, then
	 * sent with the close. */
	if ((rc = db_hits_batch_open(hl->db, wait, nrows, hl->ids,
	    gen)) == 1)
		return 1;
	if (rc != 0)
		goto undo;
	if (hl->judge != NULL) {
		hitlog_judge_batch(hl, b, n, nrows);
		judged = 1;
		/* Revisions of committed hits, before the batch's rows. */
		if (hitlog_judge_apply(hl) == -1) {
			rc = -1;
			goto undo;
		}
	}
	/* The footer pages, for the reports' judge of every node's hits
	 * (on PostgreSQL sent with the close, in its round trip). */
	if (npages > 0 && db_hits_pages(hl->db, hl->pages, npages) == -1) {
		rc = -1;
		goto undo;
	}
	/* The health row, the rows and COMMIT: one round trip. */
	if ((rc = db_hits_batch_close(hl->db, probe, hl->rows, hl->ids,
	    nrows, gen)) == 0)
		return 0;
undo:
	*full = db_hits_disk_full(hl->db);
	db_rollback(hl->db);
	if (judged)	/* what judge_mark began, not an earlier batch */
		judge_undo(hl->judge);
	hl->nrevs = 0;
	return rc;
}

static void
sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Commits the batch as hitlog_commit, trying again while the failure may
 * pass (see RETRY_BOUND_MS), only when the statements failed before
 * COMMIT, so no hit is ever inserted twice. Unless wait (the one-thread
 * loop, which must not sleep), the batch is tried again only when its
 * lost connection was made again at once; else it fails, and the next
 * batch connects again. */
static int
hitlog_commit_retry(struct hitlog *hl, struct hitlog_entry *b, size_t n,
    int wait, uint64_t *gen, int *full)
{
	uint64_t t0 = now_ns();
	long pause = RETRY_FIRST_MS;
	int rc, tries = 0;

	for (;;) {
		/* Down, a batch goes no further than the connection: no
		 * line logged per batch while the store is away. */
		if (hl->down && !hl->no_retry &&
		    db_hits_reconnect(hl->db) == -1) {
			*full = 0;
			rc = -1;
			break;
		}
		rc = hitlog_commit(hl, b, n, wait, gen, full);
		if (rc >= 0 || hl->no_retry || !db_hits_may_pass(hl->db))
			break;
		tries++;
		/* Made again at once (a restart, a failover done): tried
		 * again at once, by the one-thread loop too, which only
		 * must not sleep. */
		if (db_hits_reconnect(hl->db) == 0 && rc == -1 &&
		    tries == 1 && !hl->down)
			continue;
		if (!wait || rc == -2 || hl->down ||
		    now_ns() - t0 >= RETRY_BOUND_MS * 1000000ull) {
			if (!hl->down)
				log_warnx("redirector: the database does not "
				    "answer; answering 503 until it does");
			hl->down = 1;
			break;
		}
		/* The next try once the connection is back, or at the
		 * bound: no failed statement logged meanwhile. */
		do {
			sleep_ms(pause);
			if ((pause *= 2) > RETRY_MAX_MS)
				pause = RETRY_MAX_MS;
		} while (db_hits_reconnect(hl->db) == -1 &&
		    now_ns() - t0 < RETRY_BOUND_MS * 1000000ull);
	}
	if (rc == 0 && hl->down) {
		log_info("redirector: the database answers again");
		hl->down = 0;
	}
	return rc < 0 ? -1 : rc;
}

/* Copies the log into the database every CHECKPOINT_MS, off the commit
 * path, until the hitlog closes. */
static void *
hitlog_checkpoint_run(void *arg)
{
	struct hitlog *hl = arg;
	struct timespec until;

	pthread_mutex_lock(&hl->mu);
	while (!hl->closing) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += CHECKPOINT_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&hl->ckwake, &hl->mu, &until);
		if (hl->closing)
			break;
		pthread_mutex_unlock(&hl->mu);
		(void)db_hits_checkpoint(hl->ckdb);
		pthread_mutex_lock(&hl->mu);
	}
	pthread_mutex_unlock(&hl->mu);
	return NULL;
}

/* Tells the metrics and each entry's callback how its batch went: ok, at
 * link generation gen, or failed (full: for want of disk space). */
static void
hitlog_report(struct hitlog *hl, struct hitlog_entry *b, size_t n, int ok,
    uint64_t gen, int full, uint64_t t0)
{
	size_t i, nhits;
	int probe_ok;

	if (ok)
		atomic_store(&hl->gen, gen);
	if (hl->m != NULL) {
		metrics_batch(hl->m, n, now_ns() - t0);
		if (!ok)
			metrics_error(hl->m, ME_COMMIT);
		for (i = 0; ok && i < n; i++)
			if (!b[i].probe && !b[i].observe)
				metrics_hit(hl->m, b[i].hit.class,
				    b[i].hit.repeat);
		for (i = 0; ok && i < hl->nrevs; i++)
			metrics_revise(hl->m, hl->revs[i].from,
			    hl->revs[i].to);
	}
	/* A probe's row is smaller than a batch of hits: on a full disk it
	 * may still fit where hits no longer do. So a probe fails too while
	 * the last batch of hits failed for want of space, for up to
	 * HEALTH_HOLD_NS (then it decides alone: with no hits arriving,
	 * nothing else would clear it). Other failures, such as a lock held
	 * too long, leave the probe to say. */
	for (i = nhits = 0; i < n; i++)
		nhits += !b[i].probe && !b[i].observe;
	if (nhits > 0)
		hl->hits_failed = !ok && full ? now_ns() : 0;
	probe_ok = ok && (hl->hits_failed == 0 ||
	    now_ns() - hl->hits_failed > HEALTH_HOLD_NS);
	for (i = 0; i < n; i++)
		if (b[i].done != NULL)
			b[i].done(b[i].arg, b[i].probe ? (probe_ok ?
			    HITLOG_OK : HITLOG_FAILED) : !ok ? HITLOG_FAILED :
			    b[i].hit.gen != gen ? HITLOG_STALE : HITLOG_OK);
}

/* Commits the batch b of n entries and settles each: its callback runs
 * here, on the caller's thread. Unless wait, returns 1 without settling
 * anything while another connection holds the write lock; else 0. */
static int
hitlog_settle(struct hitlog *hl, struct hitlog_entry *b, size_t n, int wait)
{
	uint64_t t0, gen = 0;
	int rc, full;

	t0 = now_ns();
	if ((rc = hitlog_commit_retry(hl, b, n, wait, &gen, &full)) == 1)
		return 1;
	atomic_store(&hl->commit_ns, now_ns() - t0);
	hitlog_report(hl, b, n, rc == 0, gen, full, t0);
	return 0;
}

/* Swaps the queue for the batch; the caller holds hl->mu. */
static size_t
hitlog_take(struct hitlog *hl, struct hitlog_entry **b)
{
	size_t n;

	*b = hl->queue;
	hl->queue = hl->batch;
	hl->batch = *b;
	n = hl->n;
	hl->n = 0;
	hl->want = n;
	return n;
}

static void *
hitlog_run(void *arg)
{
	struct hitlog *hl = arg;
	struct hitlog_entry *b;
	struct timespec until;
	size_t n;

	pthread_mutex_lock(&hl->mu);
	for (;;) {
		while (hl->n == 0 && !hl->closing)
			pthread_cond_wait(&hl->wake, &hl->mu);
		if (hl->n == 0)
			break;
		/* Busy: wait a little for as many as the last batch held,
		 * since a commit costs about 55 us plus 3.5 us per hit
		 * (measured). Idle, the last batch held one and nothing
		 * waits. */
		if (hl->n < hl->want && !hl->closing) {
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_nsec += LINGER_US * 1000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			while (hl->n < hl->want && !hl->closing &&
			    pthread_cond_timedwait(&hl->wake, &hl->mu,
			    &until) == 0)
				;
		}
		n = hitlog_take(hl, &b);
		pthread_mutex_unlock(&hl->mu);
		(void)hitlog_settle(hl, b, n, 1);
		pthread_mutex_lock(&hl->mu);
		if (hl->m != NULL)
			metrics_queue_depth(hl->m, hl->n);
	}
	pthread_mutex_unlock(&hl->mu);
	return NULL;
}

/* Puts a batch that met another connection's lock back at the head of the
 * queue, before what came since. What no longer fits fails (it cannot:
 * each request waits on one entry at most, and the queue holds more
 * entries than connections). */
static void
hitlog_putback(struct hitlog *hl, struct hitlog_entry *b, size_t n)
{
	size_t keep, i;

	pthread_mutex_lock(&hl->mu);
	keep = hl->cap - hl->n < n ? hl->cap - hl->n : n;
	memmove(hl->queue + keep, hl->queue, hl->n * sizeof(*hl->queue));
	memcpy(hl->queue, b, keep * sizeof(*b));
	hl->n += keep;
	pthread_mutex_unlock(&hl->mu);
	for (i = keep; i < n; i++) {
		if (hl->m != NULL)
			metrics_error(hl->m, ME_QUEUE);
		if (b[i].done != NULL)
			b[i].done(b[i].arg, HITLOG_FAILED);
	}
}

static size_t
hitlog_flush_wait(struct hitlog *hl, int wait)
{
	struct hitlog_entry *b;
	uint64_t now;
	size_t n;

	pthread_mutex_lock(&hl->flushing);
	now = now_ns();
	if (!wait && hl->busy_since != 0 && now < hl->retry_at) {
		pthread_mutex_unlock(&hl->flushing);
		return 0;
	}
	pthread_mutex_lock(&hl->mu);
	n = hitlog_take(hl, &b);
	pthread_mutex_unlock(&hl->mu);
	if (n == 0) {
		pthread_mutex_unlock(&hl->flushing);
		return 0;
	}
	/* Met a lock: try again soon, waiting longer each time (1, 2, 4 ...
	 * up to 25 ms, as SQLite's own busy handler does), for up to the
	 * busy time-out; then the batch fails, as a waiting one would. */
	if (hitlog_settle(hl, b, n, wait) == 0)
		hl->busy_since = 0;
	else if (hl->busy_since != 0 &&
	    now - hl->busy_since >= DB_BUSY_TIMEOUT_MS * 1000000ull) {
		log_warnx("redirector: the database stayed locked for %d s; "
		    "%zu waiting hits and probes fail",
		    DB_BUSY_TIMEOUT_MS / 1000, n);
		hl->busy_since = 0;
		hitlog_report(hl, b, n, 0, 0, 0, now);
	} else {
		if (hl->busy_since == 0) {
			hl->busy_since = now;
			hl->retry_ns = 1000000;
		} else if ((hl->retry_ns *= 2) > 25000000)
			hl->retry_ns = 25000000;
		hl->retry_at = now_ns() + hl->retry_ns;
		hitlog_putback(hl, b, n);
		n = 0;
	}
	if (hl->m != NULL)
		metrics_queue_depth(hl->m, hitlog_depth(hl));
	pthread_mutex_unlock(&hl->flushing);
	return n;
}

size_t
hitlog_flush(struct hitlog *hl)
{
	return hitlog_flush_wait(hl, 0);
}

long
hitlog_retry_ms(struct hitlog *hl)
{
	uint64_t now;
	long ms = -1;

	pthread_mutex_lock(&hl->flushing);
	if (hl->busy_since != 0) {
		now = now_ns();
		ms = hl->retry_at > now ?
		    (long)((hl->retry_at - now + 999999) / 1000000) : 0;
	}
	pthread_mutex_unlock(&hl->flushing);
	return ms;
}

static void
hitlog_destroy(struct hitlog *hl)
{
	pthread_cond_destroy(&hl->ckwake);
	pthread_cond_destroy(&hl->wake);
	pthread_mutex_destroy(&hl->flushing);
	pthread_mutex_destroy(&hl->mu);
	free(hl->queue);
	free(hl->batch);
	free(hl->rows);
	free(hl->pages);
	free(hl->ids);
	free(hl->revs);
	judge_free(hl->judge);
	free(hl);
}

struct hitlog *
hitlog_open(struct db *db, size_t capacity, struct metrics *m)
{
	pthread_condattr_t ca;
	struct hitlog *hl;
	uint64_t gen;

	hl = xcalloc(1, sizeof(*hl));
	hl->db = db;
	hl->m = m;
	hl->cap = capacity > 0 ? capacity : 1;
	hl->queue = xcalloc(hl->cap, sizeof(*hl->queue));
	hl->batch = xcalloc(hl->cap, sizeof(*hl->batch));
	hl->rows = xcalloc(hl->cap, sizeof(const struct hit *));
	hl->pages = xcalloc(hl->cap, sizeof(const struct hit *));
	hl->ids = xcalloc(hl->cap, sizeof(*hl->ids));
	hl->no_retry = getenv("CHORUS_TEST_NO_RETRY") != NULL;
	hl->remote = db_hits_remote(db);
	pthread_mutex_init(&hl->mu, NULL);
	pthread_mutex_init(&hl->flushing, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&hl->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&hl->ckwake, NULL);
	if (db_hits_generation(db, &gen) == -1) {
		hitlog_destroy(hl);
		return NULL;
	}
	atomic_store(&hl->gen, gen);
	/* Both tunings happen before anyone commits on db. A store
	 * without a log of ours to copy needs no checkpointer. */
	if (db_hits_checkpoints(db) &&
	    (hl->ckdb = db_open(db_path(db), 0)) != NULL &&
	    pthread_create(&hl->checkpointer, NULL, hitlog_checkpoint_run,
	    hl) == 0) {
		hl->has_checkpointer = 1;
		(void)db_hits_writer_tune(db, 0);
	} else {
		/* Without the thread, commits checkpoint as SQLite does. */
		db_close(hl->ckdb);
		hl->ckdb = NULL;
		(void)db_hits_writer_tune(db, 1);
	}
	/* Without it, a server that stops answering would hold every
	 * waiting request for as long as TCP takes to give up, or for
	 * ever. Nothing on SQLite: its commits wait for nothing remote. */
	(void)db_watch(db, hitlog_deadline_ms());
	return hl;
}

void
hitlog_judge(struct hitlog *hl, const struct judge_conf *conf)
{
	hl->judge = judge_new(conf);
	hl->revs = xcalloc(REVISIONS_MAX, sizeof(*hl->revs));
}

int
hitlog_start(struct hitlog *hl)
{
	if ((errno = pthread_create(&hl->writer, NULL, hitlog_run, hl)) != 0) {
		log_error_errno("redirector: cannot start the hit writer");
		return -1;
	}
	hl->has_writer = 1;
	return 0;
}

static int
hitlog_push(struct hitlog *hl, const struct hitlog_entry *e)
{
	pthread_mutex_lock(&hl->mu);
	/* Observations wait on nothing and may come in floods (a page costs
	 * a row, in no commit of its own): they never take the second
	 * half, kept for hits. */
	if (hl->closing || hl->n == hl->cap ||
	    (e->observe && hl->n >= hl->cap / 2)) {
		pthread_mutex_unlock(&hl->mu);
		if (hl->m != NULL && !e->observe)
			metrics_error(hl->m, ME_QUEUE);
		return -1;
	}
	hl->queue[hl->n++] = *e;
	if (hl->has_writer && (hl->n == 1 || hl->n == hl->want))
		pthread_cond_signal(&hl->wake);
	if (hl->m != NULL)
		metrics_queue_depth(hl->m, hl->n);
	pthread_mutex_unlock(&hl->mu);
	return 0;
}

int
hitlog_append(struct hitlog *hl, const struct hit *h, hitlog_done_fn *done,
    void *arg)
{
	struct hitlog_entry e;

	e.hit = *h;
	e.routed = h->class;
	e.probe = 0;
	e.observe = 0;
	e.done = done;
	e.arg = arg;
	return hitlog_push(hl, &e);
}

int
hitlog_observe(struct hitlog *hl, const struct hit *h)
{
	struct hitlog_entry e;

	if (hl->judge == NULL)
		return 0;
	memset(&e, 0, sizeof(e));
	e.hit = *h;
	e.routed = h->class;
	e.observe = 1;
	return hitlog_push(hl, &e);
}

int
hitlog_probe(struct hitlog *hl, time_t now, hitlog_done_fn *done, void *arg)
{
	struct hitlog_entry e;

	memset(&e, 0, sizeof(e));
	e.hit.ts = now;
	e.probe = 1;
	e.done = done;
	e.arg = arg;
	return hitlog_push(hl, &e);
}

uint64_t
hitlog_generation(struct hitlog *hl)
{
	return atomic_load(&hl->gen);
}

int
hitlog_remote(struct hitlog *hl)
{
	return hl->remote;
}

uint64_t
hitlog_commit_ns(struct hitlog *hl)
{
	return hl->remote ? atomic_load(&hl->commit_ns) : 0;
}

size_t
hitlog_depth(struct hitlog *hl)
{
	size_t n;

	pthread_mutex_lock(&hl->mu);
	n = hl->n;
	pthread_mutex_unlock(&hl->mu);
	return n;
}

void
hitlog_close(struct hitlog *hl)
{
	if (hl == NULL)
		return;
	pthread_mutex_lock(&hl->mu);
	if (hl->closing) {
		pthread_mutex_unlock(&hl->mu);
		return;
	}
	hl->closing = 1;
	pthread_cond_signal(&hl->wake);
	pthread_cond_signal(&hl->ckwake);
	pthread_mutex_unlock(&hl->mu);
	if (hl->has_writer)
		pthread_join(hl->writer, NULL);
	else
		(void)hitlog_flush_wait(hl, 1);
	if (hl->has_checkpointer) {
		pthread_join(hl->checkpointer, NULL);
		(void)db_hits_checkpoint(hl->ckdb);
		db_close(hl->ckdb);
		hl->ckdb = NULL;
	}
	db_close(hl->db);
	hl->db = NULL;
}

void
hitlog_free(struct hitlog *hl)
{
	if (hl == NULL)
		return;
	hitlog_close(hl);
	hitlog_destroy(hl);
}
