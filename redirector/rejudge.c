/*
 * rejudge: the judge's rules over every redirector's hits.
 *
 * Each redirector judges the hits it answers (judge.c), with what it saw
 * itself. Behind a load balancer that spreads one gateway's requests, or
 * one person's, over several nodes, each sees a part: a sweep of too few
 * links to tell, a click without the share before it, a share pressed
 * twice. The store holds them all: before each fold the reports judge
 * the stored hits again in the order of their seconds and revise what
 * they find as the redirector would have (db_hits_revise_*: the hit's day
 * named in report_dirty for the fold to count again):
 * - the sweep rule, with a judge of their own: `scanner`;
 * - the self rule: a human click of a visitor on a link they shared that
 *   day (the share before it on any node), or a human one among their
 *   last four clicks on it (of any class) within half an hour before
 *   their first share: `self`;
 * - repeats: a share of a visitor and link within 30 minutes of the one
 *   before becomes a repeat, which no report counts as a share.
 *
 * A second is judged once it is REJUDGE_SETTLE (five minutes) old, so
 * that every node's hits of that second have committed;
 * report_state.judged_to keeps the first second not judged yet, moved
 * with the revisions found since the last commit in one transaction,
 * after a check that no other pass moved it meanwhile (two reports at
 * once: the second one's work is dropped).
 *
 * Hits are read a day or REJUDGE_HITS of them at a time (and as many footer
 * pages at most), whichever ends first, outside any transaction (PostgreSQL
 * holds a statement's rows in memory), a scan ending early at a second's
 * start once REVS_COMMIT revisions wait. A transaction covers what was read
 * since the last one, up to a day of seconds (two at most, a scan ending
 * past it) or REVS_COMMIT revisions: a long backlog costs few flushes of the
 * log, no lock is held while reading, and none long while writing. The hits
 * of the window before judged_to are seen again first, as they were judged,
 * so that a sweep across the boundary of two passes is seen whole. For the
 * visitor rules, each scan first reads the shares of its day so far (an
 * index of shares alone): a visitor id is one UTC day's, so nothing before
 * the day matters.
 *
 * The digest's footer pages that redirectors served are stored too
 * (page_views, migration 010) and weighed with the links, as a node
 * weighs those it serves: db_hits_scan gives them with the hits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "db/db.h"
#include "db/hits.h"
#include "db/report.h"
#include "redirector/rejudge.h"
#include "redirector/visitor.h"

#define REJUDGE_CHUNK	86400	/* seconds of hits a scan, at most */
#define REJUDGE_HITS	100000	/* hits a scan, about */
#define REJUDGE_COMMIT	86400	/* seconds judged a transaction, at most */
#define REVS_COMMIT	4096	/* revisions a transaction, about */
#define REVS_STEP	64	/* a hit's revisions, at most (JUDGE_RING) */
#define SELF_BEFORE	JUDGE_SELF_BEFORE /* a share takes the clicks this
					     recent, as on a node */

struct ids {
	int64_t			*v;
	size_t			 n, cap;
};

/* A visitor and link with a share on a day of the seconds judged: the
 * second of its first share (-1: none) and of its last one (-1: none),
 * of any class; its last clicks before a first share that is being
 * judged, read before the scan (pre) and in it (in). The day is part of
 * the key: a hit at 23:59:59 that a redirector hashed with the next
 * day's key (the key only moves forward) has the next day's visitor id,
 * and must not meet that day's hits in one scan and not in another. */
struct visit {
	int64_t			 link_id;	/* 0: free */
	unsigned char		 visitor[HIT_VISITOR_LEN];
	int64_t			 day;		/* UTC days since 1970 */
	int64_t			 first, last;
	unsigned		 npre, nin;
	int64_t			 pre[JUDGE_SELF_CLICKS];
	int64_t			 in[JUDGE_SELF_CLICKS];
};

struct visits {
	struct visit		*v;		/* mask + 1 of them */
	size_t			 mask, n;
	/* Shares of the seconds judged, repeats of an earlier one on
	 * another node: their ids and seconds (a scan may end early). */
	struct ids		 rep, rep_ts;
	int64_t			 at, hi;	/* the seconds judged */
};

struct pass {
	struct judge		*j;
	struct ids		 scanner, self, repeat;	/* to revise */
	int64_t			 scanned;	/* seconds since the last
						   commit */
	/* The scan under way: hits judged, the last one's second, and
	 * the second it stopped at (0: it did not). */
	size_t			 nscan;
	int64_t			 last_ts, stop_at;
	struct visits		 vt;
	struct judge_rev	 step[REVS_STEP];
};

static void
ids_add(struct ids *a, int64_t id)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = xreallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n++] = id;
}

static size_t
pass_revisions(const struct pass *p)
{
	return p->scanner.n + p->self.n + p->repeat.n;
}

/*
 * The self rule and repeats over every node's hits, as each redirector
 * applies them to its own (judge.c, visitor.c): once a visitor has
 * pressed Share on a link, their human clicks on it that day are self,
 * and so are the human ones of their last JUDGE_SELF_CLICKS clicks on it
 * before the first share, within SELF_BEFORE (a node's bound too);
 * a share of a visitor and link within VISITOR_REPEAT_SECS of the
 * one before is a repeat. Unlike a node's, the shares and the clicks of
 * any class count (visits_share says why): what a pass decides must not
 * hang on the classes an earlier pass, or this one's sweep rule, gave
 * them, or the result would hang on where passes fall. Only the human
 * clicks among those it finds become self (db_hits_revise_self, after
 * the sweep's scanner). A visitor id is one UTC day's, so a day's hits
 * are all there is to read. For the seconds
 * [at, hi): visits_begin reads the shares of their day up to hi (an index
 * of shares alone, migration 009); the scan brings each click, in order
 * (visits_click); visits_end reads the clicks before a first share that
 * the scan did not see, and keeps what the scan's end allows.
 */
static struct visit *
visit_find(struct visits *t, int64_t link_id, const unsigned char *visitor,
    int64_t day)
{
	struct visit *v;
	uint64_t h;
	size_t i;

	memcpy(&h, visitor, sizeof(h));
	h ^= (uint64_t)link_id ^ (uint64_t)day << 40;
	for (i = hash_mix64(h) & t->mask;; i = (i + 1) & t->mask) {
		v = &t->v[i];
		if (v->link_id == 0)
			return v;
		if (v->link_id == link_id && v->day == day &&
		    memcmp(v->visitor, visitor, HIT_VISITOR_LEN) == 0)
			return v;
	}
}

/* The pair of h's link and visitor on h's day; a new one if add, else
 * NULL when it is not there. The table is at most half full, so a probe
 * always ends. */
static struct visit *
visit_get(struct visits *t, const struct hit *h, int add)
{
	struct visit *v, *old;
	int64_t day = h->ts / 86400;
	size_t i, cap;

	if (t->v != NULL) {
		v = visit_find(t, h->link_id, h->visitor, day);
		if (v->link_id != 0)
			return v;
	}
	if (!add)
		return NULL;
	if (t->v == NULL || t->n + 1 > (t->mask + 1) / 2) {
		old = t->v;
		cap = old == NULL ? 0 : t->mask + 1;
		t->mask = cap ? cap * 2 - 1 : 255;
		t->v = xcalloc(t->mask + 1, sizeof(*t->v));
		for (i = 0; i < cap; i++)
			if (old[i].link_id != 0)
				*visit_find(t, old[i].link_id,
				    old[i].visitor, old[i].day) = old[i];
		free(old);
	}
	v = visit_find(t, h->link_id, h->visitor, day);
	t->n++;
	memset(v, 0, sizeof(*v));
	v->link_id = h->link_id;
	memcpy(v->visitor, h->visitor, HIT_VISITOR_LEN);
	v->day = day;
	v->first = v->last = -1;
	return v;
}

/* Keeps the last JUDGE_SELF_CLICKS ids put in ring. */
static void
ring_keep(int64_t *ring, unsigned *n, int64_t id)
{
	if (*n == JUDGE_SELF_CLICKS) {
		memmove(ring, ring + 1, sizeof(*ring) * (*n - 1));
		(*n)--;
	}
	ring[(*n)++] = id;
}

static int
visits_share(void *arg, int64_t id, struct hit *h)
{
	struct visits *t = arg;
	struct visit *v;

	if (h->link_id <= 0)
		return 0;
	v = visit_get(t, h, 1);
	if (h->ts >= t->at && !h->repeat && v->last >= 0 &&
	    h->ts - v->last < VISITOR_REPEAT_SECS) {
		ids_add(&t->rep, id);
		ids_add(&t->rep_ts, h->ts);
	}
	v->last = h->ts;
	/* Whatever its class: a sweep may have made it scanner after its
	 * node had judged it human and taken the clicks around it, and a
	 * bot's or a preview fetcher's share has no human click of the same
	 * visitor (User-Agent and address) to take. So a sweep's share
	 * counts the same however the passes fall, and so do the clicks
	 * (visits_click). */
	if (v->first < 0)
		v->first = h->ts;
	return 0;
}

static int
visits_begin(struct db *db, struct visits *t, int64_t at, int64_t hi)
{
	t->at = at;
	t->hi = hi;
	return db_hits_scan_visits(db, HIT_SHARE, at - at % 86400, hi,
	    visits_share, t);
}

/* A click of the seconds judged, whatever its class: after a first share
 * it is to be self (if human as stored and as this pass's sweep rule
 * left it: a scanner revision found later is written first), before one
 * within SELF_BEFORE it takes a place among the last clicks. */
static void
visits_click(struct pass *p, int64_t id, const struct hit *h)
{
	struct visit *v;

	if (h->kind != HIT_CLICK || h->link_id <= 0 ||
	    (v = visit_get(&p->vt, h, 0)) == NULL ||
	    v->first < 0)
		return;
	if (h->ts >= v->first) {
		/* Only a human click becomes self: the others need not be
		 * listed (db_hits_revise_self would leave them). */
		if (h->class == HIT_HUMAN)
			ids_add(&p->self, id);
	} else if (v->first >= p->vt.at && h->ts >= v->first - SELF_BEFORE)
		ring_keep(v->in, &v->nin, id);
}

/* A click before the seconds judged, for a first share among them. */
static int
visits_before(void *arg, int64_t id, struct hit *h)
{
	struct visits *t = arg;
	struct visit *v;

	if (h->link_id <= 0 ||
	    (v = visit_get(t, h, 0)) == NULL ||
	    v->first < t->at || v->first >= t->hi || v->nin ==
	    JUDGE_SELF_CLICKS || h->ts < v->first - SELF_BEFORE)
		return 0;
	ring_keep(v->pre, &v->npre, id);
	return 0;
}

/* The scan judged [at, hi) (hi its end, if it ended early). */
static int
visits_end(struct db *db, struct pass *p, int64_t hi)
{
	struct visits *t = &p->vt;
	int64_t from = t->at;
	struct visit *v;
	size_t i;
	unsigned k, skip;
	int rc = 0;

	t->hi = hi;
	for (i = 0; i < t->rep.n; i++)
		if (t->rep_ts.v[i] < hi)
			ids_add(&p->repeat, t->rep.v[i]);
	for (i = 0; t->v != NULL && i <= t->mask; i++) {
		v = &t->v[i];
		if (v->link_id != 0 && v->first >= t->at && v->first < hi &&
		    v->nin < JUDGE_SELF_CLICKS && v->first - SELF_BEFORE < from)
			from = v->first - SELF_BEFORE;
	}
	if (from < t->at)
		rc = db_hits_scan_visits(db, HIT_CLICK, from, t->at,
		    visits_before, t);
	for (i = 0; rc == 0 && t->v != NULL && i <= t->mask; i++) {
		v = &t->v[i];
		if (v->link_id == 0 || v->first < t->at || v->first >= hi)
			continue;
		skip = v->npre + v->nin > JUDGE_SELF_CLICKS ?
		    v->npre + v->nin - JUDGE_SELF_CLICKS : 0;
		for (k = skip; k < v->npre; k++)
			ids_add(&p->self, v->pre[k]);
		for (k = 0; k < v->nin; k++)
			ids_add(&p->self, v->in[k]);
	}
	free(t->v);
	t->v = NULL;
	t->mask = t->n = 0;
	t->rep.n = t->rep_ts.n = 0;
	return rc;
}

/* Judges one stored hit after every one before it: the sweep rule, which
 * revises to scanner only (the judge's own self rule is kept out: it
 * would see a visitor's day from the scan's start only), then the self
 * rule of visits_click. */
static int
pass_hit(void *arg, int64_t id, struct hit *h)
{
	struct pass *p = arg;
	enum hit_class stored = h->class;
	int visitor = h->has_visitor;
	size_t i, n;

	/* Enough revisions wait: the scan ends where this second begins,
	 * the seconds before it judged whole. */
	if (pass_revisions(p) >= REVS_COMMIT && p->nscan > 0 &&
	    h->ts > p->last_ts) {
		p->stop_at = h->ts;
		return 1;
	}
	p->nscan++;
	p->last_ts = h->ts;
	h->has_visitor = 0;
	/* A footer page (id 0) is weighed with its digest's links, and
	 * nothing more: it has no row to revise. */
	n = judge_hit(p->j, id, h, p->step, REVS_STEP);
	if (id > 0 && h->class != stored && h->class == HIT_SCANNER)
		ids_add(&p->scanner, id);
	for (i = 0; i < n; i++)
		if (p->step[i].to == HIT_SCANNER)
			ids_add(&p->scanner, p->step[i].id);
	if (visitor) {
		h->has_visitor = 1;
		visits_click(p, id, h);
	}
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
	long revised, self, repeat;
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
	/* Scanner first: a click of a sweep is no one's own. */
	if ((revised = db_hits_revise_scanner(db, p->scanner.v,
	    p->scanner.n)) == -1 ||
	    (self = db_hits_revise_self(db, p->self.v, p->self.n)) == -1 ||
	    (repeat = db_hits_revise_repeat(db, p->repeat.v,
	    p->repeat.n)) == -1 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return revised + self + repeat;
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
		if ((rc = db_hits_nth_ts(db, at, end, 0, &first)) == -1) {
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
		/* And about as many footer pages, which a scan holds in
		 * memory (a bot may keep fetching one): a second at least. */
		if ((rc = db_hits_nth_page_ts(db, at, hi, REJUDGE_HITS,
		    &nth)) == -1) {
			total = -1;
			break;
		}
		if (rc == 1)
			hi = nth > at ? nth : at + 1;
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
		if (visits_begin(db, &p.vt, at, hi) == -1 ||
		    db_hits_scan(db, at, hi, pass_hit, &p) == -1 ||
		    visits_end(db, &p, p.stop_at != 0 ? p.stop_at : hi) == -1) {
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
		    pass_revisions(&p) < REVS_COMMIT)
			continue;
		if ((n = pass_commit(db, &p, lo, hi, &lost)) == -1)
			total = -1;
		else
			total += n;
		lo = hi;
		p.scanner.n = p.self.n = p.repeat.n = 0;
		p.scanned = 0;
	}
	judge_free(p.j);
	free(p.vt.v);
	free(p.vt.rep.v);
	free(p.vt.rep_ts.v);
	free(p.scanner.v);
	free(p.self.v);
	free(p.repeat.v);
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
		log_warnx("report: every redirector's hits not judged "
		    "again this time");
		return -1;
	}
	if (n > 0)
		log_info("report: %ld hits that no redirector saw whole "
		    "revised (sweeps, own clicks, shares pressed again)", n);
	return 0;
}

void
rejudge_install(const struct judge_conf *conf)
{
	installed = *conf;
	db_report_prefold(rejudge_hook);
}
