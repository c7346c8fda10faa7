/*
 * hitlog: durable hits with group commit. Request threads append a hit to an
 * in-memory queue; one writer thread takes everything queued, inserts it in
 * one transaction (WAL, synchronous=NORMAL: durable against a crash of the
 * process) and then tells each request whether its hit is committed. An
 * answer is sent only after that, so killing the process at any moment
 * loses no hit that was answered, and a busy server commits many hits per
 * transaction instead of skipping durability.
 */
#ifndef CHORUS_HITLOG_H
#define CHORUS_HITLOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db/hits.h"

struct db;
struct hitlog;
struct metrics;

enum hitlog_status {
	HITLOG_FAILED = 0,	/* the batch failed: the hit is not stored */
	HITLOG_OK,		/* committed */
	HITLOG_STALE,		/* committed, but the link generation moved on
				   since the answer was built: rebuild it */
};

/* Called on the writer thread once the hit's batch is settled. */
typedef void hitlog_done_fn(void *arg, enum hitlog_status);

/* Starts the writer on db, which the hitlog then owns (it is closed by
 * hitlog_close). At most capacity entries wait at once. m may be NULL.
 * Returns NULL after logging. */
struct hitlog *hitlog_open(struct db *, size_t capacity, struct metrics *);

/* Queues h; done(arg, ok) follows on the writer thread. Returns 0, or -1
 * when the queue is full or closing (done is then never called). */
int	 hitlog_append(struct hitlog *, const struct hit *,
	    hitlog_done_fn *done, void *arg);

/* Queues a health probe: the writer writes a row at now in the next batch,
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

/* Refuses new entries (hitlog_append then returns -1), commits everything
 * queued, settles every callback, stops the writer and closes the
 * database. NULL is a no-op; so is a second call. */
void	 hitlog_close(struct hitlog *);
/* Frees a closed hitlog once nobody can call hitlog_append any more. */
void	 hitlog_free(struct hitlog *);

#endif
