/*
 * judge: two fixed-size tables, both 4-way set-associative (a new key
 * takes the way of its set used longest ago):
 * - digests: the recent hits of each digest (or of an employee, for a
 *   link no digest names), a ring of JUDGE_RING, for the sweep rule;
 * - pairs: each visitor and link seen lately, with whether that visitor
 *   shared the link and the ids of their last clicks on it, for self.
 */
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/xmalloc.h"
#include "redirector/judge.h"

#define JUDGE_RING	64		/* hits of one digest in a window */
#define DIGEST_SETS	256		/* x 4 ways: 1,024 digests at once */
#define PAIR_SETS	8192		/* x 4 ways: 32,768 pairs */
#define WAYS		4
#define UNDO_MAX	512
#define FRESH_SKEW	60		/* clocks of two machines may differ */

struct seen {				/* one hit of a digest */
	int64_t		 id;		/* 0: a page, no hit; -1: undone */
	int64_t		 ts;
	int64_t		 url;		/* link_id * 2 + kind, or JUDGE_URL_* */
	int64_t		 delivered;	/* the digest's, 0: unknown */
	enum hit_class	 class;
	uint32_t	 batch;		/* judge_mark's count when seen */
};

struct digest {
	int64_t		 key;		/* 0: free */
	int64_t		 last_ts;
	unsigned	 head, n;	/* ring[head] is the oldest */
	struct seen	 ring[JUDGE_RING];
};

struct click {
	int64_t		 id;
	int64_t		 ts;
};

struct pair {
	unsigned char	 visitor[HIT_VISITOR_LEN];
	int64_t		 link_id;	/* 0: free */
	int64_t		 last_ts;
	int		 shared;
	unsigned	 nclicks;
	struct click	 clicks[JUDGE_SELF_CLICKS];
};

/* What judge_undo() puts back: a class or a shared flag changed since
 * judge_mark(), found again by the id it belonged to. */
struct undo {
	enum hit_class	*class;
	int		*shared;
	struct pair	*pair;		/* a click a share took: put back */
	struct click	 click;
	int64_t		*owner;		/* must still hold id */
	int64_t		 id;
	int		 old;
};

struct judge {
	struct judge_conf conf;
	int64_t		 mark;		/* first id of the open batch */
	uint32_t	 batch;		/* judge_mark()s so far */
	size_t		 nundo;
	struct undo	 undo[UNDO_MAX];
	struct digest	 digests[DIGEST_SETS * WAYS];
	struct pair	 pairs[PAIR_SETS * WAYS];
};

struct judge *
judge_new(const struct judge_conf *conf)
{
	struct judge *j = xcalloc(1, sizeof(*j));

	j->conf = *conf;
	if (j->conf.window < 1)
		j->conf.window = 1;
	if (j->conf.links < 2)
		j->conf.links = 2;
	if (j->conf.links_fresh < 2)
		j->conf.links_fresh = 2;
	return j;
}

void
judge_free(struct judge *j)
{
	free(j);
}

static void
undo_push(struct judge *j, enum hit_class *class, int *shared,
    int64_t *owner, int old)
{
	struct undo *u;

	if (j->nundo == UNDO_MAX)
		return;		/* revisions are conditional: see db/hits.c */
	u = &j->undo[j->nundo++];
	u->class = class;
	u->shared = shared;
	u->pair = NULL;
	u->owner = owner;
	u->id = *owner;
	u->old = old;
}

/* A click of p that a share took (to revise it self): put back at the
 * front of p's clicks if the batch rolls back, for the share tried
 * again to take once more. */
static void
undo_push_click(struct judge *j, struct pair *p, const struct click *c)
{
	struct undo *u;

	if (j->nundo == UNDO_MAX)
		return;
	u = &j->undo[j->nundo++];
	u->class = NULL;
	u->shared = NULL;
	u->pair = p;
	u->click = *c;
	u->owner = &p->link_id;
	u->id = p->link_id;
	u->old = 0;
}

/* The digest's slot, taken over from the least recent of its set. */
static struct digest *
digest_slot(struct judge *j, int64_t key, int64_t ts)
{
	struct digest *set, *d, *old;
	size_t w;

	set = &j->digests[(hash_mix64((uint64_t)key) % DIGEST_SETS) *
	    WAYS];
	old = set;
	for (w = 0; w < WAYS; w++) {
		d = &set[w];
		if (d->key == key)
			return d;
		if (d->key == 0 || (old->key != 0 && d->last_ts < old->last_ts))
			old = d;
	}
	/* The ring's entries are past its end: no need to clear them. */
	old->key = key;
	old->last_ts = ts;
	old->head = old->n = 0;
	return old;
}

static struct seen *
ring_at(struct digest *d, unsigned i)
{
	return &d->ring[(d->head + i) % JUDGE_RING];
}

static struct seen *
ring_push(struct digest *d)
{
	if (d->n == JUDGE_RING) {
		d->head = (d->head + 1) % JUDGE_RING;
		d->n--;
	}
	return &d->ring[(d->head + d->n++) % JUDGE_RING];
}

static int
in_window(const struct judge *j, const struct seen *s, int64_t ts)
{
	return s->id != -1 && s->ts > ts - j->conf.window &&
	    s->ts <= ts + j->conf.window;
}

/* How often url was hit in the window. */
static unsigned
url_count(const struct judge *j, struct digest *d, int64_t url, int64_t ts)
{
	unsigned i, c = 0;
	struct seen *s;

	for (i = 0; i < d->n; i++) {
		s = ring_at(d, i);
		if (s->url == url && in_window(j, s, ts))
			c++;
	}
	return c;
}

/* The link of a URL: both routes of a link are one; a page is its own. */
static int64_t
url_link(int64_t url)
{
	return url > 0 ? url / 2 : url;
}

/* The sweep rule over d's window ending at ts: marks every hit on a
 * sparse URL of a sweep `scanner`, e the new one. */
static size_t
judge_sweep(struct judge *j, struct digest *d, struct seen *e, struct hit *h,
    struct judge_rev *revs, size_t cap)
{
	unsigned i, k, nlinks = 0, nurl = 0, counts[JUDGE_RING];
	int64_t urls[JUDGE_RING], links[JUDGE_RING], link;
	int fresh = 0;
	struct seen *s;
	size_t nrev = 0;

	if (url_count(j, d, e->url, h->ts) > JUDGE_SPARSE)
		return 0;		/* many people on one link: reach */
	for (i = 0; i < d->n; i++) {
		s = ring_at(d, i);
		if (!in_window(j, s, h->ts))
			continue;
		if (j->conf.fresh > 0 && s->delivered > 0 &&
		    s->ts >= s->delivered - FRESH_SKEW &&
		    s->ts - s->delivered <= j->conf.fresh)
			fresh = 1;
		for (k = 0; k < nurl && urls[k] != s->url; k++)
			;
		if (k == nurl) {
			urls[nurl] = s->url;
			counts[nurl++] = 0;
		}
		counts[k]++;
	}
	/* The distinct links (a page counts as one) with a sparse URL. */
	for (k = 0; k < nurl; k++) {
		if (counts[k] > JUDGE_SPARSE)
			continue;
		link = url_link(urls[k]);
		for (i = 0; i < nlinks && links[i] != link; i++)
			;
		if (i == nlinks)
			links[nlinks++] = link;
	}
	if (nlinks < (unsigned)j->conf.links &&
	    !(fresh && nlinks >= (unsigned)j->conf.links_fresh))
		return 0;
	for (i = 0; i < d->n; i++) {
		s = ring_at(d, i);
		if (!in_window(j, s, h->ts) || s->class == HIT_SCANNER)
			continue;
		for (k = 0; k < nurl && urls[k] != s->url; k++)
			;
		if (k == nurl || counts[k] > JUDGE_SPARSE)
			continue;
		if (s == e)
			h->class = HIT_SCANNER;
		else if (s->id > 0) {
			if (nrev == cap)
				continue;
			revs[nrev].id = s->id;
			revs[nrev].link_id = s->url / 2;
			revs[nrev].ts = s->ts;
			revs[nrev].from = s->class;
			revs[nrev].to = HIT_SCANNER;
			nrev++;
			if (s->id < j->mark || j->mark == 0)
				undo_push(j, &s->class, NULL, &s->id,
				    (int)s->class);
		}
		s->class = HIT_SCANNER;
	}
	return nrev;
}

/* The visitor and link's slot; NULL when absent and not create. */
static struct pair *
pair_slot(struct judge *j, const struct hit *h, int create)
{
	struct pair *set, *p, *old;
	uint64_t x;
	size_t w;

	memcpy(&x, h->visitor, sizeof(x));
	set = &j->pairs[(hash_mix64(x ^ (uint64_t)h->link_id) % PAIR_SETS) *
	    WAYS];
	old = set;
	for (w = 0; w < WAYS; w++) {
		p = &set[w];
		if (p->link_id == h->link_id &&
		    memcmp(p->visitor, h->visitor, HIT_VISITOR_LEN) == 0) {
			p->last_ts = h->ts;
			return p;
		}
		if (p->link_id == 0 ||
		    (old->link_id != 0 && p->last_ts < old->last_ts))
			old = p;
	}
	if (!create)
		return NULL;
	memset(old, 0, sizeof(*old));
	memcpy(old->visitor, h->visitor, HIT_VISITOR_LEN);
	old->link_id = h->link_id;
	old->last_ts = h->ts;
	return old;
}

/* The self rule, for a human hit on a link. */
static size_t
judge_self(struct judge *j, int64_t id, struct hit *h, struct judge_rev *revs,
    size_t cap)
{
	struct pair *p;
	size_t nrev = 0;
	unsigned i;

	if ((p = pair_slot(j, h, 1)) == NULL)
		return 0;
	if (h->kind == HIT_SHARE) {
		if (!p->shared) {
			undo_push(j, NULL, &p->shared, &p->link_id, 0);
			p->shared = 1;
		}
		/* Clicks older than the bound stay a person's, and leave:
		 * the share tried again after an undo drops them as well. */
		i = 0;
		while (i < p->nclicks &&
		    p->clicks[i].ts < h->ts - JUDGE_SELF_BEFORE)
			i++;
		memmove(p->clicks, p->clicks + i,
		    sizeof(p->clicks[0]) * (p->nclicks - i));
		p->nclicks -= i;
		for (i = 0; i < p->nclicks && nrev < cap; i++) {
			undo_push_click(j, p, &p->clicks[i]);
			revs[nrev].id = p->clicks[i].id;
			revs[nrev].link_id = h->link_id;
			revs[nrev].ts = p->clicks[i].ts;
			revs[nrev].from = HIT_HUMAN;
			revs[nrev].to = HIT_SELF;
			nrev++;
		}
		/* What did not fit waits for the visitor's next share. */
		memmove(p->clicks, p->clicks + i,
		    sizeof(p->clicks[0]) * (p->nclicks - i));
		p->nclicks -= i;
	} else if (p->shared)
		h->class = HIT_SELF;
	else {
		if (p->nclicks == JUDGE_SELF_CLICKS) {
			memmove(p->clicks, p->clicks + 1,
			    sizeof(p->clicks[0]) * (JUDGE_SELF_CLICKS - 1));
			p->nclicks--;
		}
		p->clicks[p->nclicks].id = id;
		p->clicks[p->nclicks].ts = h->ts;
		p->nclicks++;
	}
	return nrev;
}

/* Puts h in its digest's window (NULL: a hit of no digest nor employee),
 * the hits that left the window dropped first. */
static struct seen *
judge_see(struct judge *j, int64_t id, const struct hit *h,
    struct digest **dp)
{
	struct digest *d;
	struct seen *e;
	int64_t key;

	key = h->digest_id > 0 ? h->digest_id :
	    h->employee_id > 0 ? -h->employee_id : 0;
	if (key == 0)
		return NULL;
	d = digest_slot(j, key, h->ts);
	while (d->n > 0 && ring_at(d, 0)->ts <= h->ts - j->conf.window)
		d->head = (d->head + 1) % JUDGE_RING, d->n--;
	d->last_ts = h->ts;
	e = ring_push(d);
	e->id = id;
	e->ts = h->ts;
	e->url = id == 0 ? h->link_id : h->link_id * 2 + (int)h->kind;
	e->delivered = h->delivered;
	e->class = h->class;
	e->batch = j->batch;
	*dp = d;
	return e;
}

void
judge_seen(struct judge *j, int64_t id, const struct hit *h)
{
	struct digest *d;

	(void)judge_see(j, id, h, &d);
}

size_t
judge_hit(struct judge *j, int64_t id, struct hit *h, struct judge_rev *revs,
    size_t cap)
{
	struct digest *d = NULL;
	struct seen *e;
	size_t nrev = 0;

	if ((e = judge_see(j, id, h, &d)) != NULL)
		nrev = judge_sweep(j, d, e, h, revs, cap);
	if (id > 0 && h->link_id > 0 && h->has_visitor &&
	    h->class == HIT_HUMAN) {
		nrev += judge_self(j, id, h, revs + nrev, cap - nrev);
		if (e != NULL)
			e->class = h->class;
	}
	return nrev;
}

void
judge_mark(struct judge *j, int64_t first_id)
{
	j->mark = first_id;
	j->nundo = 0;
	/* Never 0, the batch of what was judged before any mark. */
	if (++j->batch == 0)
		j->batch = 1;
}

void
judge_undo(struct judge *j)
{
	struct digest *d;
	struct pair *p;
	struct undo *u;
	size_t i;
	unsigned k, n;

	while (j->nundo > 0) {
		u = &j->undo[--j->nundo];
		if (*u->owner != u->id)
			continue;	/* the slot went to another */
		if (u->class != NULL)
			*u->class = (enum hit_class)u->old;
		else if (u->shared != NULL)
			*u->shared = u->old;
		else if (u->pair->nclicks < JUDGE_SELF_CLICKS) {
			/* Taken from the front, last undone first. */
			memmove(u->pair->clicks + 1, u->pair->clicks,
			    sizeof(u->pair->clicks[0]) * u->pair->nclicks);
			u->pair->clicks[0] = u->click;
			u->pair->nclicks++;
		}
	}
	if (j->batch == 0)
		return;		/* no batch open */
	/* The batch's hits and the pages it saw (id 0), which a batch
	 * tried again would see once more. */
	for (i = 0; i < DIGEST_SETS * WAYS; i++) {
		d = &j->digests[i];
		for (k = 0; k < d->n; k++)
			if (ring_at(d, k)->batch == j->batch)
				ring_at(d, k)->id = -1;
	}
	if (j->mark <= 0)
		return;
	for (i = 0; i < PAIR_SETS * WAYS; i++) {
		p = &j->pairs[i];
		for (k = n = 0; k < p->nclicks; k++)
			if (p->clicks[k].id < j->mark)
				p->clicks[n++] = p->clicks[k];
		p->nclicks = n;
	}
}
