/*
 * compose: turning one employee's digest into a finished message.
 *
 * Two steps, so the send loop (digest/run.c) owns the transactions and a
 * retried digest is the same digest:
 *
 *   compose_plan()   inside the caller's transaction, for a ledger row just
 *                    claimed: selects the posts (digest/select.c), records
 *                    them as suggestions of that ledger row, creates or
 *                    reuses the personal links (employee, post, network),
 *                    and stores the row's Message-ID. Returns the number of
 *                    posts; 0 means "skip: nothing new". The one exception
 *                    (README, "Your week"): nothing new, but praise to
 *                    carry on the employee's first digest day of the week
 *                    plans a "your week" digest, a Message-ID and no posts.
 *   compose_render() reads back what the plan recorded for the ledger row
 *                    and renders the complete RFC 5322 message (headers
 *                    encoded by digest/mime.c, text and HTML parts from the
 *                    templates) into a buffer. It writes nothing, so a
 *                    later run that retries the row renders the same posts
 *                    and links with the same Message-ID.
 *
 * Preview (read-only) uses compose_preview(), which selects and renders
 * without writing anything.
 *
 * compose_plan() gives the connection a 64 MB page cache the first time it
 * sees it (link codes are random, so their index is written all over).
 */
#ifndef CHORUS_COMPOSE_H
#define CHORUS_COMPOSE_H

#include <stdint.h>
#include <time.h>

struct buf;
struct config;
struct db;
struct compose;

/* Compiles the templates (each from the directory chorus.templates names
 * when it holds that file, else the shipped one compiled in) and reads the
 * settings. Returns NULL after logging a one-line
 * error. A struct compose serves one thread at a time. */
struct compose *compose_new(const struct config *);
void	 compose_free(struct compose *);

/* db_ledger_claim() of (employee_id, date) for claimer, its answer as
 * that returns it; on PostgreSQL what planning reads of the employee
 * comes back in the same round trip, for the compose_plan() of the same
 * employee that follows (which fails, as it would have reading them,
 * when those reads failed). */
int	 compose_claim(struct compose *, struct db *, int64_t employee_id,
	    const char *date, const char *claimer, time_t now, time_t wall,
	    int64_t *id, int *planned);

/* See above. local_date is "YYYY-MM-DD" in the employee's zone; now is the
 * wall clock, used only for created_at columns. Returns the number of posts
 * planned, 1 for a "your week" digest, 0 to skip, or -1 after logging. */
int	 compose_plan(struct compose *, struct db *, int64_t employee_id,
	    int64_t ledger_id, const char *local_date, time_t now);

/* Renders the message of a planned ledger row into out (appending); the
 * envelope recipient is written into rcpt (at least 256 bytes). Returns 0,
 * or -1 after logging. date is the Date header's instant. */
int	 compose_render(struct compose *, struct db *, int64_t ledger_id,
	    time_t date, struct buf *out, char *rcpt, size_t rcptlen);

/*
 * Plans kept in memory, so the message need not be read back: with
 * compose_keep_plans(c, 1), each compose_plan() that returns more than 0
 * also keeps a copy of what it recorded (the employee, the posts in the
 * plan's order, the links with their stored codes, the Message-ID), which
 * compose_plan_take() hands over (NULL when there is none; a plan not
 * taken is dropped by the next one). compose_render_plan() renders it on
 * any thread's compose, byte for byte as compose_render() would once the
 * plan's transaction has committed, except that the posts are as
 * selection read them (at most a minute before) rather than as they are
 * at the moment of rendering. A row rendered again later (a retry, a run
 * that died) is read back with compose_render().
 */
struct compose_plan;
void	 compose_keep_plans(struct compose *, int on);
struct compose_plan *compose_plan_take(struct compose *);
void	 compose_plan_free(struct compose_plan *);
int	 compose_render_plan(struct compose *, struct db *,
	    const struct compose_plan *, time_t date, struct buf *out,
	    char *rcpt, size_t rcptlen);

/* What compose_preview() prints. */
enum compose_format {
	COMPOSE_EML,		/* the whole message, as it would be sent */
	COMPOSE_HTML,		/* the HTML part */
	COMPOSE_TEXT,		/* the plain-text part */
};

/* The digest of an employee and local date, without writing anything:
 * the posts planned for that date if its ledger row has a plan, else the
 * posts selection would choose now; existing personal links where they
 * exist, otherwise codes marked "preview-NETWORK-POST" that lead nowhere.
 * Returns the number of posts (out filled; 1 for a "your week" digest,
 * which has none), 0 when there is no digest
 * (*why says which: SELECT_NOT_DUE or SELECT_NOTHING_NEW), or -1 after
 * logging. */
int	 compose_preview(struct compose *, struct db *, int64_t employee_id,
	    const char *local_date, time_t now, enum compose_format,
	    struct buf *out, int *why);

/*
 * The optional blocks of the template data, `results` { clicks, people,
 * best_post, thanks, tip } and `highlights` { top_posts [{ title, clicks }],
 * top_advocates [{ first_name, role }], team_clicks }, are filled by
 * digest/results.c, which compose_new() hooks in (settings
 * digest.results, digest.highlights). compose_set_extras() replaces that
 * hook (tests; NULL removes it, and with it "your week" digests): fill is
 * called for every render and preview with the employee, the local
 * date, the instant the digest is composed for and the data to add to; it
 * returns 0, or -1 to fail the render. It must only read: a render
 * writes nothing.
 */
struct tdict;
void	 compose_set_extras(struct compose *,
	    int (*fill)(void *arg, struct db *, int64_t employee_id,
	    const char *local_date, time_t now, struct tdict *data),
	    void *arg);

#endif
