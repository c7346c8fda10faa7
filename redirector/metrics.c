/*
 * metrics: relaxed atomic counters and their Prometheus text rendering.
 * Histograms keep per-bucket counts and are made cumulative when written.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "redirector/metrics.h"

#define NSTATUS		5	/* 1xx .. 5xx */

static const char *const route_names[MR_NROUTE] = {
	[MR_CODE] = "code", [MR_SHARE] = "share", [MR_UNSUB] = "unsubscribe",
	[MR_PREF] = "preferences", [MR_NOTFORME] = "not_for_me",
	[MR_HEALTH] = "healthz",
	[MR_METRICS] = "metrics", [MR_OTHER] = "other",
};

static const char *const error_names[ME_NERROR] = {
	[ME_LOOKUP] = "lookup", [ME_COMMIT] = "commit", [ME_QUEUE] = "queue",
	[ME_PAGE] = "page",
};

/* Upper bounds: hits per batch, and commit seconds (as nanoseconds). */
static const uint64_t batch_le[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 1024 };
#define NBATCH	(sizeof(batch_le) / sizeof(batch_le[0]))
static const uint64_t lat_le[] = {
	50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
	25000000, 100000000, 1000000000,
};
#define NLAT	(sizeof(lat_le) / sizeof(lat_le[0]))

struct metrics {
	atomic_ullong	requests[MR_NROUTE][NSTATUS];
	atomic_ullong	hits[HIT_NCLASS];
	atomic_ullong	revisions[HIT_NCLASS][HIT_NCLASS];	/* from, to */
	atomic_ullong	repeats;
	atomic_ullong	errors[ME_NERROR];
	atomic_ullong	batch[NBATCH + 1];	/* last: +Inf */
	atomic_ullong	batch_sum, batch_count;
	atomic_ullong	lat[NLAT + 1];
	atomic_ullong	lat_sum_ns;
	atomic_ullong	depth;
};

#define ADD(x, n)	atomic_fetch_add_explicit(&(x), (n), \
			    memory_order_relaxed)
#define GET(x)		atomic_load_explicit(&(x), memory_order_relaxed)

struct metrics *
metrics_new(void)
{
	return xcalloc(1, sizeof(struct metrics));
}

void
metrics_free(struct metrics *m)
{
	free(m);
}

void
metrics_request(struct metrics *m, enum metrics_route r, int status)
{
	int c = status / 100 - 1;

	if ((unsigned)r >= MR_NROUTE)
		r = MR_OTHER;
	if (c < 0 || c >= NSTATUS)
		c = NSTATUS - 1;
	ADD(m->requests[r][c], 1);
}

void
metrics_hit(struct metrics *m, enum hit_class c, int repeat)
{
	if ((unsigned)c < HIT_NCLASS)
		ADD(m->hits[c], 1);
	if (repeat)
		ADD(m->repeats, 1);
}

void
metrics_revise(struct metrics *m, enum hit_class from, enum hit_class to)
{
	if ((unsigned)from < HIT_NCLASS && (unsigned)to < HIT_NCLASS)
		ADD(m->revisions[from][to], 1);
}

void
metrics_error(struct metrics *m, enum metrics_error e)
{
	if ((unsigned)e < ME_NERROR)
		ADD(m->errors[e], 1);
}

static size_t
bucket(const uint64_t *le, size_t n, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v <= le[i])
			break;
	return i;
}

void
metrics_batch(struct metrics *m, size_t n, uint64_t ns)
{
	ADD(m->batch[bucket(batch_le, NBATCH, n)], 1);
	ADD(m->batch_sum, n);
	ADD(m->batch_count, 1);
	ADD(m->lat[bucket(lat_le, NLAT, ns)], 1);
	ADD(m->lat_sum_ns, ns);
}

void
metrics_queue_depth(struct metrics *m, size_t depth)
{
	atomic_store_explicit(&m->depth, depth, memory_order_relaxed);
}

static int
render_histogram(struct buf *out, const char *name, const char *help,
    const atomic_ullong *counts, const uint64_t *le, size_t n, double scale,
    double sum)
{
	unsigned long long cum = 0;
	size_t i;
	int rc = 0;

	rc |= buf_printf(out, "# HELP %s %s\n# TYPE %s histogram\n", name,
	    help, name);
	for (i = 0; i < n; i++) {
		cum += GET(counts[i]);
		rc |= buf_printf(out, "%s_bucket{le=\"%g\"} %llu\n", name,
		    (double)le[i] * scale, cum);
	}
	cum += GET(counts[n]);
	rc |= buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n", name, cum);
	rc |= buf_printf(out, "%s_sum %.9g\n%s_count %llu\n", name, sum, name,
	    cum);
	return rc;
}

int
metrics_render(struct metrics *m, struct buf *out)
{
	size_t r, c;
	int rc = 0;

	rc |= buf_adds(out, "# HELP chorus_redirector_requests_total "
	    "Requests answered, by route and status class.\n"
	    "# TYPE chorus_redirector_requests_total counter\n");
	for (r = 0; r < MR_NROUTE; r++)
		for (c = 1; c < NSTATUS; c++)
			rc |= buf_printf(out, "chorus_redirector_requests_total"
			    "{route=\"%s\",status=\"%zuxx\"} %llu\n",
			    route_names[r], c + 1, GET(m->requests[r][c]));
	rc |= buf_adds(out, "# HELP chorus_redirector_hits_total "
	    "Hits committed, by class.\n"
	    "# TYPE chorus_redirector_hits_total counter\n");
	for (c = 0; c < HIT_NCLASS; c++)
		rc |= buf_printf(out, "chorus_redirector_hits_total"
		    "{class=\"%s\"} %llu\n",
		    db_hits_class_name((enum hit_class)c), GET(m->hits[c]));
	/* A revision moves a committed hit to another class: the counter
	 * above keeps the class each hit was committed with (counters never
	 * go down), this gauge the class it has now, which every report
	 * counts. */
	rc |= buf_adds(out, "# HELP chorus_redirector_hits "
	    "Hits committed since start, by their class now.\n"
	    "# TYPE chorus_redirector_hits gauge\n");
	for (c = 0; c < HIT_NCLASS; c++) {
		unsigned long long v = GET(m->hits[c]);

		for (r = 0; r < HIT_NCLASS; r++)
			v += GET(m->revisions[r][c]) - GET(m->revisions[c][r]);
		rc |= buf_printf(out, "chorus_redirector_hits"
		    "{class=\"%s\"} %llu\n",
		    db_hits_class_name((enum hit_class)c), v);
	}
	rc |= buf_adds(out, "# HELP chorus_redirector_hit_revisions_total "
	    "Committed hits whose class a later hit revised.\n"
	    "# TYPE chorus_redirector_hit_revisions_total counter\n");
	for (c = 0; c < HIT_NCLASS; c++)
		for (r = HIT_SCANNER; r <= HIT_SELF; r++)
			if (c != r)
				rc |= buf_printf(out,
				    "chorus_redirector_hit_revisions_total"
				    "{from=\"%s\",to=\"%s\"} %llu\n",
				    db_hits_class_name((enum hit_class)c),
				    db_hits_class_name((enum hit_class)r),
				    GET(m->revisions[c][r]));
	rc |= buf_printf(out, "# HELP chorus_redirector_repeat_hits_total "
	    "Hits from a visitor seen on the same link within 30 minutes.\n"
	    "# TYPE chorus_redirector_repeat_hits_total counter\n"
	    "chorus_redirector_repeat_hits_total %llu\n", GET(m->repeats));
	rc |= buf_adds(out, "# HELP chorus_redirector_errors_total "
	    "Errors, by stage.\n"
	    "# TYPE chorus_redirector_errors_total counter\n");
	for (c = 0; c < ME_NERROR; c++)
		rc |= buf_printf(out, "chorus_redirector_errors_total"
		    "{stage=\"%s\"} %llu\n", error_names[c],
		    GET(m->errors[c]));
	rc |= buf_printf(out, "# HELP chorus_redirector_queue_depth "
	    "Hits waiting for the writer.\n"
	    "# TYPE chorus_redirector_queue_depth gauge\n"
	    "chorus_redirector_queue_depth %llu\n", GET(m->depth));
	rc |= render_histogram(out, "chorus_redirector_commit_batch_size",
	    "Hits per committed transaction.", m->batch, batch_le, NBATCH, 1,
	    (double)GET(m->batch_sum));
	rc |= render_histogram(out, "chorus_redirector_commit_seconds",
	    "Time to insert and commit one batch.", m->lat, lat_le, NLAT, 1e-9,
	    (double)GET(m->lat_sum_ns) * 1e-9);
	return rc == 0 ? 0 : -1;
}
