/*
 * metrics: the redirector's counters, kept with relaxed atomic adds so the
 * request threads never take a lock for them, and written out in the
 * Prometheus text format for GET /metrics. Labels are only ever routes,
 * status classes, hit classes and error stages: never a code or a person.
 */
#ifndef CHORUS_METRICS_H
#define CHORUS_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "db/hits.h"

struct buf;
struct metrics;

enum metrics_route {
	MR_CODE = 0,	/* /CODE */
	MR_SHARE,	/* /s/CODE */
	MR_UNSUB,	/* /u/TOKEN */
	MR_PREF,	/* /p/TOKEN */
	MR_NOTFORME,	/* /n/CODE */
	MR_HEALTH,	/* /healthz */
	MR_METRICS,	/* /metrics */
	MR_OTHER,	/* anything else */
	MR_NROUTE,
};

enum metrics_error {
	ME_LOOKUP = 0,	/* a read failed */
	ME_COMMIT,	/* a batch of hits could not be committed */
	ME_QUEUE,	/* the hit queue was full or closing */
	ME_PAGE,	/* a page could not be rendered or saved */
	ME_NERROR,
};

/* Never NULL; all counters start at zero. */
struct metrics *metrics_new(void);
void	 metrics_free(struct metrics *);

void	 metrics_request(struct metrics *, enum metrics_route, int status);
void	 metrics_hit(struct metrics *, enum hit_class, int repeat);
/* A committed hit's class was revised (redirector/judge.h). */
void	 metrics_revise(struct metrics *, enum hit_class from,
	    enum hit_class to);
void	 metrics_error(struct metrics *, enum metrics_error);
/* One committed (or failed) batch of n hits that took ns nanoseconds. */
void	 metrics_batch(struct metrics *, size_t n, uint64_t ns);
/* The hit queue's depth now. */
void	 metrics_queue_depth(struct metrics *, size_t depth);

/* Appends the text exposition format. Returns 0, or -1 at out's cap. */
int	 metrics_render(struct metrics *, struct buf *out);

#endif
