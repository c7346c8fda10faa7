/*
 * db/digest: the queries behind a digest: the employee with roles and
 * tokens, the candidate posts of a date with their roles, the posts already
 * suggested, and what a ledger row's plan recorded (its suggestions, in
 * order, and Message-ID). Writes run inside the caller's transaction.
 */
#ifndef CHORUS_DB_DIGEST_H
#define CHORUS_DB_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/network.h"

struct db;

#define DIGEST_MAX_ROLES	64

/* Tunes a connection that plans many digests per transaction: a page
 * cache of cache_kb KiB (PRAGMA cache_size) and a checkpoint once the WAL
 * holds wal_pages pages (PRAGMA wal_autocheckpoint). A batch writes
 * links, suggestions and ledger rows, and the code index takes each
 * slice's links in one place (common/random.h); still, a small cache
 * turns many inserts into a page read and write, and checkpointing after
 * every batch copies the same pages into the database file each time,
 * where a later checkpoint copies each page once for several batches.
 * Neither changes what a commit guarantees. Returns 0 or -1 after
 * logging. */
int	 db_digest_tune(struct db *, long cache_kb, long wal_pages);

/* A connection that renders digests (read-only, one per mailer thread):
 * on PostgreSQL its reads never scan a whole table where an index serves
 * (db/digest.c); nothing on SQLite. Returns 0 or -1 after logging. */
int	 db_digest_render_tune(struct db *);

/* One employee. Filled by db_digest_employee_*(); the strings belong to the
 * struct until db_digest_employee_clear() (which keeps it reusable). */
struct db_employee {
	int64_t		 id;
	char		 email[256];
	char		*name;
	char		*timezone;	/* NULL: digest.timezone */
	unsigned	 networks;	/* NET_BIT mask */
	char		 frequency[12];	/* daily, weekdays, weekly, paused */
	int		 active;
	int		 unsubscribed;
	char		 unsub_token[40];
	char		 pref_token[40];
	const char	*roles[DIGEST_MAX_ROLES];	/* HR's, into rolebuf */
	size_t		 nroles;
	/* The employee's own topics (employee_topics), into rolebuf. */
	const char	*follows[DIGEST_MAX_ROLES];
	size_t		 nfollows;
	const char	*mutes[DIGEST_MAX_ROLES];
	size_t		 nmutes;
	char		*rolebuf;
	size_t		 rolebufsz;
};

/* Each returns 1 when found (e is filled), 0 when there is no such
 * employee, -1 after logging. e must be zeroed before its first use. */
int	 db_digest_employee_by_id(struct db *, int64_t id,
	    struct db_employee *e);
int	 db_digest_employee_by_email(struct db *, const char *email,
	    struct db_employee *e);
void	 db_digest_employee_clear(struct db_employee *);

/* One post, as a digest needs it. */
struct db_post {
	int64_t		 id;
	char		*ext_id, *title, *url, *summary, *text;
	char		*text_net[NET_COUNT];	/* NULL: use text */
	char		*starts, *expires;	/* NULL: no bound */
	char		*available;	/* later of starts, import */
	long		 priority;
	long		 audience_count;	/* 0: no limit */
	long		 audience_hundredths;	/* 0: no limit */
	int		 audience_chosen;	/* its audience_choices row
						   existed when read */
	int		 everyone;
	const char	**roles;
	size_t		 nroles;
};

/* A list of posts; owns everything under it. */
struct db_posts {
	struct db_post	*v;
	size_t		 n;
};

/* The posts whose window holds local date (starts <= date <= expires,
 * open ends allowed), with their roles, by id. Replaces *out's contents.
 * Returns 0 or -1 after logging. */
int	 db_digest_candidates(struct db *, const char *date,
	    struct db_posts *out);
/* The posts planned for a ledger row, in the plan's order (no roles). */
int	 db_digest_planned(struct db *, int64_t ledger_id,
	    struct db_posts *out);
void	 db_digest_posts_free(struct db_posts *);

/* The ids of every post ever suggested to the employee, ascending, into
 * *ids (a malloc'd array reused and grown; *cap its room). */
int	 db_digest_suggested(struct db *, int64_t employee_id, int64_t **ids,
	    size_t *n, size_t *cap);

/* The ids of the posts the employee said "not for me" to (declines),
 * ascending, as db_digest_suggested. */
int	 db_digest_declined(struct db *, int64_t employee_id, int64_t **ids,
	    size_t *n, size_t *cap);

/* What planning a digest reads of an employee, in one round trip on
 * PostgreSQL: db_digest_employee_by_id(), db_digest_suggested() and
 * db_digest_declined() together. Returns as db_digest_employee_by_id()
 * (the lists are filled only when it returns 1). */
int	 db_digest_plan_inputs(struct db *, int64_t employee_id,
	    struct db_employee *e, int64_t **sugg, size_t *nsugg,
	    size_t *suggcap, int64_t **decl, size_t *ndecl, size_t *declcap);

/* db_ledger_claim() and, in the same round trip on PostgreSQL,
 * db_digest_plan_inputs() for the same employee (read whatever the
 * claim's answer, used only when it is 1 with *planned 0). Then *read is
 * 1 when e and the lists were filled, 0 when the employee is gone, -1
 * when the reads failed (logged; the claim holds: that digest's failure,
 * not the batch's). Returns db_ledger_claim()'s 1, 0 or -1. */
int	 db_digest_claim(struct db *, int64_t employee_id, const char *date,
	    const char *claimer, time_t now, time_t wall, int64_t *id,
	    int *planned, struct db_employee *e, int64_t **sugg,
	    size_t *nsugg, size_t *suggcap, int64_t **decl, size_t *ndecl,
	    size_t *declcap, int *read);

/* Records that post goes to employee in the digest of ledger row
 * ledger_id (local date date), at position rank (0 first). */
int	 db_digest_suggest(struct db *, int64_t employee_id, int64_t post_id,
	    int64_t ledger_id, const char *date, int rank);

/* Whether the employee has a ledger row (any state) on a local date from
 * from to to ("YYYY-MM-DD", inclusive) other than except: 1 yes, 0 no,
 * -1 after logging. One probe of the (employee_id, local_date) index. */
int	 db_digest_ledger_other(struct db *, int64_t employee_id,
	    const char *from, const char *to, const char *except);

/* 1 when the employee of ledger row ledger_id no longer takes digests
 * (left, unsubscribed or paused), 0 when they do or there is no such
 * row, -1 after logging. */
int	 db_digest_unwanted(struct db *, int64_t ledger_id);
/* The ledger row: its employee, local date ("YYYY-MM-DD") and Message-ID
 * ("" when none yet). Returns 1, 0 when there is no such row, or -1. */
int	 db_digest_ledger_get(struct db *, int64_t ledger_id,
	    int64_t *employee_id, char *date, size_t datelen, char *msgid,
	    size_t msgidlen);
/* The ledger row of an employee and local date: 1 and *ledger_id, 0 when
 * there is none, -1 after logging. */
int	 db_digest_ledger_find(struct db *, int64_t employee_id,
	    const char *date, int64_t *ledger_id);
/* Creates the 'pending' ledger row of an employee and date (tests and the
 * benchmark; the send loop claims rows its own way). */
int	 db_digest_ledger_add(struct db *, int64_t employee_id,
	    const char *date, time_t now, int64_t *ledger_id);

/* One personal link of a planned digest. */
struct db_planned_link {
	int64_t		 post_id;
	enum network	 network;
	char		 code[16];
};

/* The links of the posts planned for a ledger row, into *links (a malloc'd
 * array reused and grown). Returns 0 or -1 after logging. */
int	 db_digest_planned_links(struct db *, int64_t ledger_id,
	    struct db_planned_link **links, size_t *n, size_t *cap);

#endif
