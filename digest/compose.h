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
 *                    posts; 0 means "skip: nothing new".
 *   compose_render() reads back what the plan recorded for the ledger row
 *                    and renders the complete RFC 5322 message (headers
 *                    encoded by digest/mime.c, text and HTML parts from the
 *                    templates) into a buffer. It writes nothing, so a
 *                    later run that retries the row renders the same posts
 *                    and links with the same Message-ID.
 *
 * Preview (read-only) uses compose_preview(), which selects and renders
 * without writing anything.
 */
#ifndef CHORUS_COMPOSE_H
#define CHORUS_COMPOSE_H

#include <stdint.h>
#include <time.h>

struct buf;
struct config;
struct db;
struct compose;

/* Compiles the templates (chorus.templates or the shipped ones) and reads
 * the settings. Returns NULL after logging a one-line error. */
struct compose *compose_new(const struct config *);
void	 compose_free(struct compose *);

/* See above. local_date is "YYYY-MM-DD" in the employee's zone; now is the
 * wall clock, used only for created_at columns. Returns the number of posts
 * planned (0 = skip), or -1 after logging. */
int	 compose_plan(struct compose *, struct db *, int64_t employee_id,
	    int64_t ledger_id, const char *local_date, time_t now);

/* Renders the message of a planned ledger row into out (appending); the
 * envelope recipient is written into rcpt (at least 256 bytes). Returns 0,
 * or -1 after logging. date is the Date header's instant. */
int	 compose_render(struct compose *, struct db *, int64_t ledger_id,
	    time_t date, struct buf *out, char *rcpt, size_t rcptlen);

#endif
