/*
 * hitlog: durable hits with group commit. Request threads append a hit to an
 * in-memory queue; a committer takes everything queued, inserts it in one
 * transaction (WAL, synchronous=NORMAL: durable against a crash of the
 * process) and then tells each request whether its hit is committed. An
 * answer is sent only after that, so killing the process at any moment
 * loses no hit that was answered, and a busy server commits many hits per
 * transaction instead of skipping durability.
 *
 * The committer is either a writer thread of the hitlog's own
 * (hitlog_start), for a pool of server threads, or the one server thread
 * itself, which calls hitlog_flush between its passes over the
 * connections.
 */
#ifndef CHORUS_HITLOG_H
#define CHORUS_HITLOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db/hits.h"

struct db;
struct hitlog;
struct judge_conf;
struct metrics;

enum hitlog_status {
	HITLOG_FAILED = 0,	/* the batch failed: the hit is not stored */
	HITLOG_OK,		/* committed */
	HITLOG_STALE,		/* committed, but the link generation moved on
				   since the answer was built: rebuild it */
};

/* Called on the committing thread once the hit's batch is settled. */
typedef void hitlog_done_fn(void *arg, enum hitlog_status);

/* Opens the hitlog on db, which it then owns (it is closed by
 * hitlog_close), and starts its checkpointer. At most capacity entries
 * wait at once. m may be NULL. Nothing is committed until hitlog_start
 * or hitlog_flush. Returns NULL after logging. */
struct hitlog *hitlog_open(struct db *, size_t capacity, struct metrics *);

/* Judges every hit in the light of those before it before committing it
 * (redirector/judge.h: sweeps and self clicks), revising committed ones
 * in the same transaction. Call before hitlog_start or the first flush;
 * without it, hits are stored with the class the route gave them. */
void	 hitlog_judge(struct hitlog *, const struct judge_conf *);

/* Starts the writer thread, which commits from then on. Returns 0, or -1
 * after logging. */
int	 hitlog_start(struct hitlog *);

/* Without a writer thread: commits everything queued now, on the caller's
 * thread, and settles it there. Returns the number of entries settled.
 * Safe from any thread; two calls take turns. It never waits for another
 * connection's write lock: the entries then stay queued, and a call
 * before hitlog_retry_ms() have passed does nothing. After the busy
 * time-out (DB_BUSY_TIMEOUT_MS) of such retries, they fail. */
size_t	 hitlog_flush(struct hitlog *);
/* How long the redirector's calls to a store across the network may wait
 * for an answer before their connection is dropped (db_watch), in ms. */
unsigned hitlog_deadline_ms(void);
/* Milliseconds until hitlog_flush should try again (0: now), or -1 when
 * nothing waits for a lock. */
long	 hitlog_retry_ms(struct hitlog *);

/* Queues h; done(arg, ok) follows on the committing thread. Returns 0, or -1
 * when the queue is full or closing (done is then never called). */
int	 hitlog_append(struct hitlog *, const struct hit *,
	    hitlog_done_fn *done, void *arg);

/* Queues a page of a digest seen (h: see route_ans.observe) for the
 * judge, and for page_views with the next batch (db_hits_pages), for the
 * reports' judge of every node's hits. Nothing waits for it; the queue is
 * shared, so it may be refused (-1) when half full. Returns 0 or -1. */
int	 hitlog_observe(struct hitlog *, const struct hit *h);

/* Queues a health probe: the next batch writes a row at now,
 * so ok says whether the database takes writes; it is also failed while
 * the last batch of hits failed for want of disk space, for up to 10 s (a
 * full disk may take the probe's one row and no more hits). Same
 * returns. */
int	 hitlog_probe(struct hitlog *, time_t now, hitlog_done_fn *done,
	    void *arg);

/* The link generation read by the last batch (or at open). */
uint64_t hitlog_generation(struct hitlog *);

/* Hits waiting now. */
size_t	 hitlog_depth(struct hitlog *);
/* How long the last batch took to commit, in nanoseconds, on a store
 * whose commit is a round trip to a server (PostgreSQL); 0 on SQLite and
 * before the first batch. */
uint64_t hitlog_commit_ns(struct hitlog *);
/* Whether the store is across the network (PostgreSQL). */
int	 hitlog_remote(struct hitlog *);

/* Refuses new entries (hitlog_append then returns -1), commits everything
 * queued (on the writer thread, or else on the caller's), settles every
 * callback, stops the threads and closes the database. NULL is a no-op;
 * so is a second call. */
void	 hitlog_close(struct hitlog *);
/* Frees a closed hitlog once nobody can call hitlog_append any more. */
void	 hitlog_free(struct hitlog *);

#endif
