/*
 * hits: writing the hits of personal links. Each row says which link, when,
 * whether it was a click or a share, how the visitor was classified, whether
 * it repeats the same visitor within 30 minutes, and the visitor's keyed
 * hash (never a raw address).
 */
#ifndef CHORUS_HITS_H
#define CHORUS_HITS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;

enum hit_kind {
	HIT_CLICK = 0,		/* GET or HEAD /CODE */
	HIT_SHARE,		/* GET /s/CODE */
};

enum hit_class {
	HIT_HUMAN = 0,
	HIT_BOT,
	HIT_PREVIEW,
	HIT_HEAD,
	HIT_SCANNER,		/* a mail-security gateway's sweep */
	HIT_SELF,		/* the employee's own click on a shared link */
	HIT_NCLASS,
};

#define HIT_VISITOR_LEN	16	/* HMAC-SHA-256, cut */
/* PostgreSQL: ids a value of the hits.id sequence stands for; its
 * INCREMENT BY (db/migrations/pg/007_hits_log.sql). */
#define HITS_ID_BLOCK	256

struct hit {
	int64_t		 link_id;
	int64_t		 ts;		/* Unix seconds */
	enum hit_kind	 kind;
	enum hit_class	 class;
	int		 repeat;	/* same visitor within 30 minutes */
	int		 has_visitor;
	unsigned char	 visitor[HIT_VISITOR_LEN];
	uint64_t	 gen;		/* link generation the answer was
					   built from; not stored */
	/* What redirector/judge.c needs, not stored either: */
	int64_t		 employee_id;	/* the link's, 0: unknown */
	int64_t		 digest_id;	/* ledger.id of the link's digest */
	int64_t		 delivered;	/* when that digest went out, or 0 */
};

/* "human", "bot", "preview", "head", "scanner", "self"; "click",
 * "share". */
const char *db_hits_class_name(enum hit_class);
const char *db_hits_kind_name(enum hit_kind);

/* Tunes the connection of the hit writer: a larger page cache and, unless
 * autocheckpoint is set, no automatic checkpoints (db_hits_checkpoint() runs
 * them on another thread and connection, so no commit waits for one).
 * Returns 0 or -1. */
int	 db_hits_writer_tune(struct db *, int autocheckpoint);

/* Whether a commit is a round trip to a server, which flushes its log
 * before it answers (PostgreSQL): then it costs about the same whatever
 * the number of rows, and is worth a larger batch. */
int	 db_hits_remote(struct db *);

/* Whether the store has a write-ahead log for db_hits_checkpoint() to
 * copy (SQLite); PostgreSQL checkpoints by itself. */
int	 db_hits_checkpoints(struct db *);

/* A passive checkpoint of the write-ahead log: copies what it can without
 * waiting for anyone. Returns 0 or -1 after logging. */
int	 db_hits_checkpoint(struct db *);

/* Reserves the ids of the next n hits, inside the caller's transaction,
 * into ids[0..n-1], increasing: on SQLite the ones after the largest (the
 * transaction holds the write lock, so no one else inserts meanwhile), on
 * PostgreSQL from the identity sequence (no other session gets them; there
 * may be gaps). Returns 0 or -1 after logging. */
int	 db_hits_reserve(struct db *, size_t n, int64_t *ids);

/* Inserts the n hits *h[0..n-1] with the ids ids[0..n-1] (NULL: reserved
 * here) inside the caller's transaction, up to 32 rows per statement.
 * When last is not NULL it receives the id of the last row. Returns 0 or
 * -1 after logging. */
int	 db_hits_insert_many(struct db *, const struct hit *const *h,
	    const int64_t *ids, size_t n, int64_t *last);

/*
 * Revises the class of the committed hit id to `to`, inside the caller's
 * transaction, and names its day and link in report_dirty so the next
 * roll-up recomputes them. A hit already of class `to` is left alone, and
 * so is one that is not human when `to` is HIT_SELF (a sweep's verdict
 * outranks a click's). *from receives the class it had. Returns 1 when
 * it changed, 0 when not (or no such hit), -1 after logging.
 */
int	 db_hits_revise(struct db *, int64_t id, enum hit_class to,
	    enum hit_class *from);

/* Whether the statement that failed last on db failed for want of disk
 * space (SQLITE_FULL, or an I/O error with ENOSPC). Call before anything
 * else runs on db. */
int	 db_hits_disk_full(struct db *);

/* Reads the link generation (link_generation.gen) into *gen. Returns 0 or
 * -1 after logging. */
int	 db_hits_generation(struct db *, uint64_t *gen);

/* Records that the redirector could write at now (the health probe), inside
 * the caller's transaction. Returns 0 or -1 after logging. */
int	 db_hits_touch_health(struct db *, time_t now);

/*
 * A batch of the hit writer in two calls, the statements above one by one
 * on SQLite; on PostgreSQL (pipeline mode) one round trip in all while
 * ids taken ahead last, else one each.
 *
 * db_hits_batch_open begins the batch's transaction (unless wait, SQLite
 * does not wait for another connection's write lock: 1, nothing done),
 * reads the link generation into *gen and reserves n ids as
 * db_hits_reserve. On PostgreSQL, with ids taken ahead, it sends nothing:
 * the close sends the batch's statements without BEGIN, committed by the
 * pipeline's sync, and tells *gen (a db_hits_revise in between sends
 * BEGIN and the generation first, and the close COMMIT). Returns 0, 1, or
 * -1 after logging (the caller rolls back).
 *
 * db_hits_batch_close writes the health row when probe is not 0 (the time
 * of the probe), inserts the n hits *h[0..n-1] with ids[0..n-1], and
 * commits; *gen is then the generation read inside the transaction.
 * Returns 0 when committed; -1 after logging when a statement before
 * COMMIT failed (the caller rolls back; nothing was committed); -2 when
 * COMMIT (or the sync) failed or its outcome is unknown (connection
 * lost, or not every statement could be sent).
 */
int	 db_hits_batch_open(struct db *, int wait, size_t n, int64_t *ids,
	    uint64_t *gen);
int	 db_hits_batch_close(struct db *, time_t probe,
	    const struct hit *const *h, const int64_t *ids, size_t n,
	    uint64_t *gen);

/* Stores the footer pages of digests that the redirector served, *h[0..n-1]
 * (h->link_id the page negated, redirector/judge.h's JUDGE_URL_*; h->ts,
 * employee_id, digest_id and delivered as its judge took them; an entry
 * with h->link_id >= 0 is left out), in the batch's transaction: called
 * between db_hits_batch_open and db_hits_batch_close, on PostgreSQL sent
 * by the close, in its round trip, before the hits. For the store-wide
 * judge to see them too (db_hits_scan). Part of the batch: a failure
 * fails it. Returns 0, or -1 after logging (the caller rolls back). */
int	 db_hits_pages(struct db *, const struct hit *const *h, size_t n);

/*
 * The store-wide judge (redirector/rejudge.c). db_hits_judged_to reads the
 * first second not judged yet (report_state.judged_to); db_hits_judged_set
 * moves it from old to ts, inside the caller's transaction: 1, or 0 when
 * it no longer was old (another pass moved it), or -1. db_hits_scan calls
 * fn(arg, id, &h) for every hit whose second is in [from, to), in the
 * order of their seconds then ids, with the fields the judge needs
 * (h.employee_id, h.digest_id and h.delivered from the hit's link; 0 when
 * unknown; h.visitor when stored), and the footer pages served in those
 * seconds (db_hits_pages) as the judge takes them: id 0, h.link_id the
 * page negated, before the hits of their second; fn returns nonzero to
 * stop. db_hits_judged_set also forgets the pages two days older than
 * the second it sets. Returns 0
 * or -1 after logging. db_hits_scan_visits does the same, without the
 * link's fields, for the hits with a visitor of one kind: every share
 * (h.repeat as stored), or every click.
 */
int	 db_hits_judged_to(struct db *, int64_t *ts);
int	 db_hits_judged_set(struct db *, int64_t old, int64_t ts);
/* The second of the hit n places after the first with a second in
 * [from, to), in their order (n from 0: the first one) into *ts: 1, 0
 * when none, -1. */
int	 db_hits_nth_ts(struct db *, int64_t from, int64_t to, int64_t n,
	    int64_t *ts);
/* The same for the footer pages stored (db_hits_pages). */
int	 db_hits_nth_page_ts(struct db *, int64_t from, int64_t to,
	    int64_t n, int64_t *ts);
/* Revises the hits ids[0..n-1] as db_hits_revise does, inside the
 * caller's transaction (on PostgreSQL in one statement): to scanner; to
 * self (human clicks only); or a share made a repeat. Returns how many
 * changed, or -1 after logging. */
long	 db_hits_revise_scanner(struct db *, const int64_t *ids, size_t n);
long	 db_hits_revise_self(struct db *, const int64_t *ids, size_t n);
long	 db_hits_revise_repeat(struct db *, const int64_t *ids, size_t n);
int	 db_hits_scan(struct db *, int64_t from, int64_t to,
	    int (*fn)(void *, int64_t, struct hit *), void *arg);
int	 db_hits_scan_visits(struct db *, enum hit_kind, int64_t from,
	    int64_t to, int (*fn)(void *, int64_t, struct hit *), void *arg);

/* Whether the last failure on db may pass if tried again (PostgreSQL
 * unreachable or restarting, a deadlock); never on SQLite. */
int	 db_hits_may_pass(struct db *);
/* Makes a lost connection again: 0 when usable, -1 when not. */
int	 db_hits_reconnect(struct db *);

#endif
