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
#include "redirector/hitlog.h"
#include "redirector/metrics.h"

struct hitlog_entry {
	struct hit	 hit;
	int		 probe;		/* health probe, not a hit */
	hitlog_done_fn	*done;
	void		*arg;
};

#define CHECKPOINT_MS	250	/* between passive checkpoints */
#define LINGER_US	100	/* longest wait for a batch to fill */
#define HEALTH_HOLD_NS	(10 * 1000000000ull)	/* see hitlog_run */

struct hitlog {
	struct db		*db;
	struct db		*ckdb;		/* the checkpointer's */
	pthread_t		 checkpointer;
	int			 has_checkpointer;
	struct metrics		*m;
	pthread_t		 writer;
	pthread_mutex_t		 mu;
	pthread_cond_t		 wake;		/* the writer's */
	pthread_cond_t		 ckwake;	/* the checkpointer's */
	struct hitlog_entry	*queue;		/* filled by appenders */
	struct hitlog_entry	*batch;		/* owned by the writer */
	const struct hit	**rows;		/* the writer's, cap long */
	size_t			 n, cap;
	size_t			 want;		/* wake the writer at this n */
	int			 closing;
	_Atomic uint64_t	 gen;		/* link generation */
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Inserts the batch in one transaction; returns 0 when it committed. The
 * link generation is read inside it, so it is the one of the commit. */
static int
hitlog_commit(struct hitlog *hl, const struct hitlog_entry *b, size_t n,
    uint64_t *gen, int *full)
{
	size_t i, nrows = 0;

	*full = 0;
	if (db_begin(hl->db) == -1)
		return -1;
	if (hits_generation(hl->db, gen) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (!b[i].probe)
			hl->rows[nrows++] = &b[i].hit;
		else if (hits_touch_health(hl->db, (time_t)b[i].hit.ts) == -1)
			goto fail;
	}
	if (hits_insert_many(hl->db, hl->rows, nrows) == -1)
		goto fail;
	if (db_commit(hl->db) == -1)
		goto fail;
	return 0;
fail:
	*full = hits_disk_full(hl->db);
	db_rollback(hl->db);
	return -1;
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
		(void)hits_checkpoint(hl->ckdb);
		pthread_mutex_lock(&hl->mu);
	}
	pthread_mutex_unlock(&hl->mu);
	return NULL;
}

static void *
hitlog_run(void *arg)
{
	struct hitlog *hl = arg;
	struct hitlog_entry *b;
	struct timespec until;
	uint64_t t0, gen = 0, hits_failed = 0;
	size_t i, n, nhits;
	int ok, full, probe_ok;

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
		b = hl->queue;
		hl->queue = hl->batch;
		hl->batch = b;
		n = hl->n;
		hl->n = 0;
		hl->want = n;
		pthread_mutex_unlock(&hl->mu);

		t0 = now_ns();
		ok = hitlog_commit(hl, b, n, &gen, &full) == 0;
		if (ok)
			atomic_store(&hl->gen, gen);
		if (hl->m != NULL) {
			metrics_batch(hl->m, n, now_ns() - t0);
			if (!ok)
				metrics_error(hl->m, ME_COMMIT);
			for (i = 0; ok && i < n; i++)
				if (!b[i].probe)
					metrics_hit(hl->m, b[i].hit.class,
					    b[i].hit.repeat);
		}
		/* A probe's row is smaller than a batch of hits: on a full
		 * disk it may still fit where hits no longer do. So a probe
		 * fails too while the last batch of hits failed for want of
		 * space, for up to HEALTH_HOLD_NS (then it decides alone:
		 * with no hits arriving, nothing else would clear it). Other
		 * failures, such as a lock held too long, leave the probe to
		 * say. */
		for (i = nhits = 0; i < n; i++)
			nhits += !b[i].probe;
		if (nhits > 0)
			hits_failed = !ok && full ? now_ns() : 0;
		probe_ok = ok && (hits_failed == 0 ||
		    now_ns() - hits_failed > HEALTH_HOLD_NS);
		for (i = 0; i < n; i++)
			b[i].done(b[i].arg, b[i].probe ? (probe_ok ? HITLOG_OK :
			    HITLOG_FAILED) : !ok ? HITLOG_FAILED :
			    b[i].hit.gen != gen ? HITLOG_STALE : HITLOG_OK);

		pthread_mutex_lock(&hl->mu);
		if (hl->m != NULL)
			metrics_queue_depth(hl->m, hl->n);
	}
	pthread_mutex_unlock(&hl->mu);
	return NULL;
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
	if (hits_generation(db, &gen) == -1) {
		free(hl->queue);
		free(hl->batch);
		free(hl->rows);
		free(hl);
		return NULL;
	}
	atomic_store(&hl->gen, gen);
	pthread_mutex_init(&hl->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&hl->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&hl->ckwake, NULL);
	/* Both tunings happen before the writer thread owns db. */
	if ((hl->ckdb = db_open(db_path(db), 0)) != NULL &&
	    pthread_create(&hl->checkpointer, NULL, hitlog_checkpoint_run,
	    hl) == 0) {
		hl->has_checkpointer = 1;
		(void)hits_writer_tune(db, 0);
	} else {
		/* Without the thread, commits checkpoint as SQLite does. */
		db_close(hl->ckdb);
		hl->ckdb = NULL;
		(void)hits_writer_tune(db, 1);
	}
	if ((errno = pthread_create(&hl->writer, NULL, hitlog_run, hl)) != 0) {
		log_warn("redirector: cannot start the hit writer");
		if (hl->has_checkpointer) {
			pthread_mutex_lock(&hl->mu);
			hl->closing = 1;
			pthread_cond_signal(&hl->ckwake);
			pthread_mutex_unlock(&hl->mu);
			pthread_join(hl->checkpointer, NULL);
			db_close(hl->ckdb);
		}
		pthread_cond_destroy(&hl->ckwake);
		pthread_cond_destroy(&hl->wake);
		pthread_mutex_destroy(&hl->mu);
		free(hl->queue);
		free(hl->batch);
		free(hl->rows);
		free(hl);
		return NULL;
	}
	return hl;
}

static int
hitlog_push(struct hitlog *hl, const struct hitlog_entry *e)
{
	pthread_mutex_lock(&hl->mu);
	if (hl->closing || hl->n == hl->cap) {
		pthread_mutex_unlock(&hl->mu);
		if (hl->m != NULL)
			metrics_error(hl->m, ME_QUEUE);
		return -1;
	}
	hl->queue[hl->n++] = *e;
	if (hl->n == 1 || hl->n == hl->want)
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
	e.probe = 0;
	e.done = done;
	e.arg = arg;
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
	pthread_join(hl->writer, NULL);
	if (hl->has_checkpointer) {
		pthread_join(hl->checkpointer, NULL);
		(void)hits_checkpoint(hl->ckdb);
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
	pthread_cond_destroy(&hl->ckwake);
	pthread_cond_destroy(&hl->wake);
	pthread_mutex_destroy(&hl->mu);
	free(hl->queue);
	free(hl->batch);
	free(hl->rows);
	free(hl);
}
