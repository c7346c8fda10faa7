/*
 * rejudge: the sweep rule over every redirector's hits.
 *
 * Each redirector judges the hits it answers (judge.c), with what it saw
 * itself. Behind a load balancer that spreads one gateway's requests over
 * several nodes, each sees a part of a sweep, too few links to tell, and
 * counts them as people. The store holds them all: before each fold the
 * reports run the same rule again over the stored hits in the order of
 * their seconds, with a judge of their own, and revise the sweeps they
 * find as the redirector would have (db_hits_revise_scanner: `scanner`,
 * and the hit's day named in report_dirty for the fold to count again).
 *
 * A second is judged once it is REJUDGE_SETTLE (five minutes) old, so
 * that every node's hits of that second have committed;
 * report_state.judged_to keeps the first second not judged yet, moved
 * with the revisions found since the last commit in one transaction,
 * after a check that no other pass moved it meanwhile (two reports at
 * once: the second one's work is dropped).
 *
 * Hits are read a day or REJUDGE_HITS of them at a time, whichever ends
 * first, outside any transaction (PostgreSQL holds a statement's rows in
 * memory), a scan ending early at a second's start once REVS_COMMIT
 * revisions wait. A transaction covers what was read since the last one,
 * up to a day of seconds (two at most, a scan ending past it) or
 * REVS_COMMIT revisions: a long backlog costs few flushes of the log, no
 * lock is held while reading, and none long while writing. The hits of
 * the window before judged_to are seen again first, as they were judged,
 * so that a sweep across the boundary of two passes is seen whole.
 *
 * Only the sweep rule: the self rule (a share and a click of one visitor)
 * needs each visitor's whole history, which a pass does not read; the
 * redirector's own judge keeps it (README: balance by client address).
 * The redirector's page views (the digest's footer) are not stored, so
 * only links count here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db.h"
#include "db/hits.h"
#include "db/report.h"
#include "redirector/rejudge.h"

#define REJUDGE_CHUNK	86400	/* seconds of hits a scan, at most */
#define REJUDGE_HITS	100000	/* hits a scan, about */
#define REJUDGE_COMMIT	86400	/* seconds judged a transaction, at most */
#define REVS_COMMIT	4096	/* revisions a transaction, about */
#define REVS_STEP	64	/* a hit's revisions, at most (JUDGE_RING) */

struct pass {
	struct judge		*j;
	int64_t			*ids;		/* to revise to scanner */
	size_t			 nids, cap;
	int64_t			 scanned;	/* seconds since the last
						   commit */
	/* The scan under way: hits judged, the last one's second, and
	 * the second it stopped at (0: it did not). */
	size_t			 nscan;
	int64_t			 last_ts, stop_at;
	struct judge_rev	 step[REVS_STEP];
};

static void
pass_add(struct pass *p, int64_t id)
{
	if (p->nids == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->ids = xreallocarray(p->ids, p->cap, sizeof(*p->ids));
	}
	p->ids[p->nids++] = id;
}

/* Judges one stored hit after every one before it. The sweep rule
 * revises to scanner only (db_hits_scan gives no visitor, so the self
 * rule never runs). */
static int
pass_hit(void *arg, int64_t id, struct hit *h)
{
	struct pass *p = arg;
	enum hit_class stored = h->class;
	size_t i, n;

	/* Enough revisions wait: the scan ends where this second begins,
	 * the seconds before it judged whole. */
	if (p->nids >= REVS_COMMIT && p->nscan > 0 && h->ts > p->last_ts) {
		p->stop_at = h->ts;
		return 1;
	}
	p->nscan++;
	p->last_ts = h->ts;
	n = judge_hit(p->j, id, h, p->step, REVS_STEP);
	if (h->class != stored && h->class == HIT_SCANNER)
		pass_add(p, id);
	for (i = 0; i < n; i++)
		if (p->step[i].to == HIT_SCANNER)
			pass_add(p, p->step[i].id);
	return 0;
}

/* Puts one stored hit, judged by an earlier pass, in the judge's window
 * without judging it again: judged with fewer hits before it than it had
 * then, a link many fetched could look sparse. */
static int
pass_seen(void *arg, int64_t id, struct hit *h)
{
	struct pass *p = arg;

	judge_seen(p->j, id, h);
	return 0;
}

/* Writes the revisions found since the last commit and moves judged_to
 * from lo to hi, in one transaction, the locks taken in the order the
 * fold takes them (else the two could deadlock on PostgreSQL). Returns
 * the hits revised, 0 with *lost when another pass moved judged_to
 * first (nothing written), or -1. */
static long
pass_commit(struct db *db, struct pass *p, int64_t lo, int64_t hi, int *lost)
{
	long revised;
	int rc;

	*lost = 0;
	if (db_begin(db) == -1)
		return -1;
	if (db_report_lock(db) == -1) {
		db_rollback(db);
		return -1;
	}
	if ((rc = db_hits_judged_set(db, lo, hi)) != 1) {
		db_rollback(db);
		*lost = rc == 0;
		return rc == 0 ? 0 : -1;
	}
	if ((revised = db_hits_revise_scanner(db, p->ids, p->nids)) == -1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return revised;
}

long
rejudge_run(struct db *db, const struct judge_conf *conf, time_t now)
{
	struct pass p;
	int64_t lo, at, hi, end = (int64_t)now - REJUDGE_SETTLE, first, nth;
	long total = 0, n;
	int lost = 0, rc, primed = 0;

	if (db_hits_judged_to(db, &lo) == -1)
		return -1;
	if (lo >= end)
		return 0;
	memset(&p, 0, sizeof(p));
	p.j = judge_new(conf);
	/* Scanned up to at, committed up to lo. */
	for (at = lo; at < end && total != -1 && !lost; at = hi) {
		/* Past a quiet stretch at once: the next second with hits. */
		if ((rc = db_hits_first_ts(db, at, end, &first)) == -1) {
			total = -1;
			break;
		}
		hi = rc == 0 ? end : first + REJUDGE_CHUNK < end ?
		    first + REJUDGE_CHUNK : end;
		/* At most about REJUDGE_HITS hits a scan (PostgreSQL holds a
		 * statement's rows in memory), a whole second at least. */
		if (rc == 1 && (rc = db_hits_nth_ts(db, first, hi,
		    REJUDGE_HITS, &nth)) == -1) {
			total = -1;
			break;
		}
		if (rc == 1)
			hi = nth > first ? nth : first + 1;
		/* The window before judged_to, judged by an earlier pass,
		 * seen again (not judged) for a sweep across the two. */
		if (!primed && db_hits_scan(db, at - conf->window, at,
		    pass_seen, &p) == -1) {
			total = -1;
			break;
		}
		primed = 1;
		p.nscan = 0;
		p.stop_at = 0;
		if (db_hits_scan(db, at, hi, pass_hit, &p) == -1) {
			total = -1;
			break;
		}
		if (p.stop_at != 0)
			hi = p.stop_at;
		p.scanned += hi - at;
		/* A commit for every REJUDGE_COMMIT seconds judged or
		 * REVS_COMMIT revisions found, and at the end: not one for
		 * each quiet chunk (each is a flush of the log). */
		if (hi < end && p.scanned < REJUDGE_COMMIT &&
		    p.nids < REVS_COMMIT)
			continue;
		if ((n = pass_commit(db, &p, lo, hi, &lost)) == -1)
			total = -1;
		else
			total += n;
		lo = hi;
		p.nids = 0;
		p.scanned = 0;
	}
	judge_free(p.j);
	free(p.ids);
	return total;
}

static struct judge_conf installed;

/* Now, as the pass sees it. For the tests and benchmarks only:
 * CHORUS_TEST_REJUDGE_NOW is the clock (Unix seconds), and
 * CHORUS_TEST_REJUDGE_SETTLE judges seconds that are that old (-1: the
 * current one too) rather than REJUDGE_SETTLE old. */
static time_t
rejudge_now(void)
{
	const char *env;
	time_t now = time(NULL);
	long long t;
	long v;
	char *end;

	if ((env = getenv("CHORUS_TEST_REJUDGE_NOW")) != NULL) {
		t = strtoll(env, &end, 10);
		if (end != env && *end == '\0' && t >= 0)
			now = (time_t)t;
	}
	if ((env = getenv("CHORUS_TEST_REJUDGE_SETTLE")) == NULL)
		return now;
	v = strtol(env, &end, 10);
	if (end == env || *end != '\0' || v < -1 || v > REJUDGE_SETTLE)
		return now;
	return now - (time_t)v + REJUDGE_SETTLE;
}

static int
rejudge_hook(struct db *db)
{
	long n;

	/* Its transactions would end the caller's. */
	if (db_in_transaction(db))
		return 0;
	if ((n = rejudge_run(db, &installed, rejudge_now())) == -1) {
		log_warnx("report: sweeps over every redirector's hits not "
		    "judged this time");
		return -1;
	}
	if (n > 0)
		log_info("report: %ld hits of sweeps that no redirector saw "
		    "whole are scanner", n);
	return 0;
}

void
rejudge_install(const struct judge_conf *conf)
{
	installed = *conf;
	db_report_prefold(rejudge_hook);
}
