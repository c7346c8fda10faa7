/*
 * ledger: the send ledger, one row per (employee, local date), and the runs
 * table. A row is claimed by one run at a time (state 'sending',
 * claimed_by = the run's claimer id) by one upsert, so two runs never hold
 * the same digest, on one machine or many; the claimer renews claimed_at
 * while it sends, and a claim whose run died is released by the next run
 * (see digest/send.c for how death is decided: a lease).
 *
 * States: pending (planned, not being sent: released or never started),
 * sending (claimed), sent, skipped (nothing new), failed_temp (4xx or
 * unreachable; a later run retries the same digest), failed_perm (5xx).
 */
#ifndef CHORUS_LEDGER_H
#define CHORUS_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;

enum ledger_state {
	LEDGER_PENDING,
	LEDGER_SENDING,
	LEDGER_SENT,
	LEDGER_SKIPPED,
	LEDGER_FAILED_TEMP,
	LEDGER_FAILED_PERM,
	LEDGER_NONE,		/* no row */
};

/* "pending", "sending", ... as stored. */
const char *db_ledger_state_name(enum ledger_state);

/* An employee who may receive digests (active, subscribed, not paused).
 * Empty tz or send_time means the default setting. */
struct ledger_employee {
	int64_t	 id;
	char	 tz[72];
	char	 send_time[8];
	char	 frequency[12];
};

/* Fills out with up to n such employees with id > after, in id order.
 * Returns the number filled (0 at the end) or -1 after logging. */
int	 db_ledger_employees(struct db *, int64_t after,
	    struct ledger_employee *out, int n);

/* The state of (employee, date), LEDGER_NONE without a row, or -1. */
int	 db_ledger_state_of(struct db *, int64_t employee_id,
	    const char *date);

/* For each of the n pairs (emp[i], dates[i]), has[i] = 1 when it has a
 * ledger row, else 0: one statement on PostgreSQL. Returns 0 or -1 after
 * logging. */
int	 db_ledger_have_rows(struct db *, const int64_t *emp,
	    const char *const *dates, size_t n, unsigned char *has);

/* Inside the caller's transaction: claims (employee, date) for claimer,
 * creating the row or taking over a pending or failed_temp one (or one
 * claimer holds already). now stamps the row; wall, the real clock's
 * time, is its claimed_at, which the lease is measured against. Returns 1
 * with *id and *planned (the row already has a Message-ID: render it, do
 * not plan it again), 0 when someone else has it or it is final, -1. */
int	 db_ledger_claim(struct db *, int64_t employee_id, const char *date,
	    const char *claimer, time_t now, time_t wall, int64_t *id,
	    int *planned);

/* A row a later run should retry: pending or failed_temp. */
struct ledger_row {
	int64_t	 id;
	int64_t	 employee_id;
	char	 local_date[11];
};

/* Gives up row id, pending or failed_temp and not sent on its date: it
 * becomes failed_perm with reply, and its posts are no longer suggested
 * (a later digest may offer them). Inside the caller's transaction.
 * Returns 1, 0 when the row was claimed meanwhile, or -1. */
int	 db_ledger_expire(struct db *, int64_t id, const char *reply,
	    time_t now);

/* Pages through pending rows, and failed_temp rows last changed at or
 * before changed_by, with local_date >= since and id > after (since NULL:
 * only local_date = date_eq). Returns the number filled or -1. */
int	 db_ledger_retryable(struct db *, const char *since,
	    const char *date_eq, time_t changed_by, int64_t after,
	    struct ledger_row *out, int n);

/* Records the outcome of a claimed row. A final state (sent, skipped,
 * failed_*) drops the claim; LEDGER_SENDING keeps it (a retry within the
 * run). attempt adds one to attempts. Returns 0; -2 when the row is no
 * longer claimed by claimer (nothing is changed); -1 after logging a
 * failure of the store (on PostgreSQL the transaction can only be rolled
 * back then). */
int	 db_ledger_finish(struct db *, int64_t id, const char *claimer,
	    enum ledger_state, const char *reply, int attempt, time_t now);

/* One outcome for db_ledger_finish_many(). */
struct ledger_outcome {
	int64_t		 id;
	enum ledger_state state;
	const char	*reply;		/* NULL keeps the row's */
	int		 attempt;
	int		 rc;		/* out: db_ledger_finish()'s 0 or -2 */
};
/* db_ledger_finish() for each of the n outcomes, inside the caller's
 * transaction: one statement on PostgreSQL. Each o[i].rc says whether its
 * row was still claimer's. Returns 0, or -1 after logging (then nothing
 * is known of the rows). */
int	 db_ledger_finish_many(struct db *, const char *claimer,
	    struct ledger_outcome *o, size_t n, time_t now);

/* A run holding 'sending' rows: its claimer id and the latest claimed_at
 * of its rows (its last renewal). */
struct ledger_claimer {
	char	*claimer;
	time_t	 claimed_at;
};

/* Every claimer holding 'sending' rows. *out is a malloc'd array; free
 * with db_ledger_claimers_free(). Returns 0 or -1. */
int	 db_ledger_claimers(struct db *, struct ledger_claimer **out,
	    size_t *n);
void	 db_ledger_claimers_free(struct ledger_claimer *, size_t);
/* Ends every 'sending' row of claimer in state (pending: released for
 * the next run, keeping what was planned; or failed_temp with reply).
 * Returns the number of rows changed or -1. */
int	 db_ledger_release(struct db *, const char *claimer,
	    enum ledger_state state, const char *reply, time_t now);
/* The same for the rows of claimer not renewed after seen (a claim found
 * stale; a renewal since keeps its row). */
int	 db_ledger_release_stale(struct db *, const char *claimer,
	    time_t seen, time_t now);
/* Renews the claims of claimer: claimed_at = wall (the real clock) on
 * its 'sending' rows. Returns the number of rows or -1. */
int	 db_ledger_renew(struct db *, const char *claimer, time_t wall);

/* Whether the last failure may pass if the transaction is tried again
 * (PostgreSQL: a lost connection, a serialization failure, a deadlock;
 * never on SQLite), and making a lost connection again: 0 when usable. */
int	 db_ledger_may_retry(struct db *);
int	 db_ledger_reconnect(struct db *);
/* Whether the last failure was a unique key met: on PostgreSQL, a row
 * another transaction inserted meanwhile (it waited for that one to
 * commit). The transaction tried again sees the row. */
int	 db_ledger_conflict(struct db *);
/* 1 when every run that may claim is on this machine (an SQLite file),
 * 0 when runs on other machines may share the ledger (PostgreSQL). */
int	 db_ledger_one_host(struct db *);

/* Calls fn for each distinct (zone, send time, frequency) of the employees
 * db_ledger_employees() lists, "" for defaults. fn returns 0 to go on.
 * Returns 0 or -1. */
int	 db_ledger_each_schedule(struct db *, int (*fn)(void *,
	    const char *tz, const char *send_time, const char *frequency),
	    void *arg);

/* Right after the BEGIN of a transaction of claims and plans: on
 * PostgreSQL its statements are planned once and by their keys
 * (db/ledger.c); nothing on SQLite. Returns 0 or -1. */
int	 db_ledger_claims_begin(struct db *);

/* Savepoints around one employee's claim and plan inside a batch. */
int	 db_ledger_savepoint(struct db *);
int	 db_ledger_savepoint_release(struct db *);
int	 db_ledger_savepoint_rollback(struct db *);

/* Stores the Message-ID of a row (compose, when it plans the digest). */
int	 db_ledger_set_message_id(struct db *, int64_t ledger_id,
	    const char *msgid, time_t now);

/* Counts the rows of local date date in state (for summaries and tests). */
int	 db_ledger_count(struct db *, const char *date, enum ledger_state);

/* The runs table: one row per run or scheduler batch. */
int64_t	 db_ledger_run_start(struct db *, const char *trigger,
	    time_t now);
int	 db_ledger_run_finish(struct db *, int64_t run, time_t now, int sent,
	    int skipped, int failed, int status);

#endif
