/*
 * judge: the class of a hit in the light of the hits around it, which the
 * User-Agent alone cannot tell (redirector/classify.h does that part).
 *
 * - A sweep: a mail-security gateway (Safe Links, Proofpoint, Mimecast,
 *   Barracuda) fetches every link of a digest within seconds of delivery,
 *   from rotating addresses, with browser User-Agents. Within
 *   conf.window seconds, the hits on one digest's URLs (a link's click
 *   and share routes are two URLs; its unsubscribe and preferences pages
 *   too) are a sweep when the URLs fetched at most JUDGE_SPARSE times
 *   belong to conf.links distinct links (each page counts as a link), or
 *   to conf.links_fresh when the burst came within conf.fresh seconds of
 *   the digest's delivery. Every hit on those URLs in the window becomes
 *   `scanner`, earlier ones included. Links, not URLs: a person who
 *   shares a post and opens their own link has touched one link. A URL fetched more often (a post going viral: many people
 *   on one link) is reach, never part of a sweep, and so are the hits
 *   outside the window: a person reading the digest a minute after the
 *   sweep counts.
 * - Self: once a visitor has pressed Share on a link, their human clicks
 *   on that link are `self`, those just before the share included (the
 *   last JUDGE_SELF_CLICKS of them, within JUDGE_SELF_BEFORE seconds, as
 *   the reports' judge of every node's hits takes them: both give a hit
 *   the same class). Visitor ids change every UTC day, so this holds for
 *   the day.
 *
 * Earlier hits are already answered and committed: their new class comes
 * back as revisions for the caller to write in the same transaction as
 * the hit that revealed them. Nothing here reads a clock: time is each
 * hit's own ts. Memory is fixed (about 6 MB); not thread-safe: the one
 * committer of redirector/hitlog.c owns it.
 */
#ifndef CHORUS_JUDGE_H
#define CHORUS_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "db/hits.h"

#define JUDGE_SPARSE		3	/* most fetches of one URL in a sweep */
#define JUDGE_SELF_CLICKS	4	/* clicks before a share made self */
#define JUDGE_SELF_BEFORE	1800	/* seconds: how recent they must be */

/* URLs of a digest that are not links: its footer's pages. */
#define JUDGE_URL_UNSUB		(-1)
#define JUDGE_URL_PREF		(-2)

struct judge_conf {
	int	 window;	/* seconds; redirector.sweep_window */
	int	 links;		/* redirector.sweep_links */
	int	 links_fresh;	/* redirector.sweep_links_fresh */
	int	 fresh;		/* seconds; redirector.sweep_fresh, 0: off */
};

/* A committed hit whose class changes. */
struct judge_rev {
	int64_t		 id;		/* hits.id */
	int64_t		 link_id;
	int64_t		 ts;
	enum hit_class	 from, to;
};

struct judge;

struct judge *judge_new(const struct judge_conf *);
void	 judge_free(struct judge *);

/*
 * Judges h, to be stored as hits.id id (0: no hit, a page of the digest
 * seen, h->link_id then one of JUDGE_URL_*), after every hit
 * before it. May change h->class: the hit is stored with it. Appends
 * the revisions of earlier hits to revs (cap entries; what does not fit
 * is left as it is, and may be revised by a later hit). Returns the
 * number appended.
 */
size_t	 judge_hit(struct judge *, int64_t id, struct hit *h,
	    struct judge_rev *revs, size_t cap);

/* Puts h, stored as hits.id id, in the window of what is judged next
 * without judging it (it was judged before, with the hits before it). */
void	 judge_seen(struct judge *, int64_t id, const struct hit *h);

/*
 * For a batch that may roll back: judge_mark() before its first
 * judge_hit(); judge_undo() after a rollback forgets what was judged
 * since, so no stored id points at a row that does not exist.
 */
void	 judge_mark(struct judge *, int64_t first_id);
void	 judge_undo(struct judge *);

#endif
