/*
 * send: the ledger-driven send loop behind `digest run` and `digest
 * schedule` (digest/run.c). A sender holds a database connection, a
 * compose and a mailer; each sender_pass() sends what is due and records
 * every outcome in the send ledger (db/ledger.c). Delivery is
 * at-least-once: README "The send ledger and delivery".
 */
#ifndef CHORUS_SEND_H
#define CHORUS_SEND_H

#include <signal.h>
#include <time.h>

struct config;
struct db;
struct sender;

/* The clock of the send loop: the real one, or for tests a fixed start
 * that runs at speed times real time (--now, --speed). Only this reads the
 * time. */
struct send_clock {
	int		 fake;
	time_t		 start;
	struct timespec	 real0;
	double		 speed;
};

/* now NULL: the real clock. Otherwise now is "YYYY-MM-DDTHH:MM:SSZ" and
 * speed (NULL: 1) a positive number. Returns 0, or -1 when either does not
 * parse. */
int	 send_clock_parse(struct send_clock *, const char *now,
	    const char *speed);
time_t	 send_clock_now(const struct send_clock *);

/* The lease rule. A run names its claims MACHINE:PID:START@HOST (MACHINE:
 * the boot and the PID namespace, where a PID means one process; START:
 * the process's start time, so a reused PID is not taken for it). A claim
 * is stale, and the next run takes it over, when its claimer has not
 * renewed it for lease seconds (now - claimed_at > lease), whoever and
 * wherever the claimer is; or at once when the claimer ran in self's
 * MACHINE and alive(pid, start) says that process is gone. A claimer from
 * another machine is judged by the lease only, but where every claimer is
 * on this machine (one_host: an SQLite store) one from an earlier boot
 * (the BOOT before MACHINE's '.') is gone too. Returns 1 when stale, 0
 * when live. */
int	 send_claim_stale(const char *claimer, const char *self,
	    int one_host, time_t claimed_at, time_t now, time_t lease,
	    int (*alive)(long pid, unsigned long long start));

/* Counts of the last pass. */
struct send_counts {
	int	 total;		/* due, less those another run held */
	int	 sent;
	int	 skipped;	/* nothing new to suggest */
	int	 failed;	/* failed_perm */
	int	 left;		/* failed_temp or pending: a later run */
};

enum send_flags {
	SEND_PROGRESS = (1 << 0),	/* a live line when stderr is a tty */
};

/* Opens the database (chorus.database), the templates and the mailer
 * (smtp.*) for passes named what in messages ("digest run", "schedule").
 * cfg and clock are borrowed and must outlive the sender. When *stop
 * becomes nonzero (a signal handler), a pass stops claiming, lets the
 * messages in flight finish and releases the rest. Returns NULL after
 * logging. */
struct sender *sender_open(struct config *cfg, struct send_clock *clock,
	    const char *what, const volatile sig_atomic_t *stop, int flags);
/* Stops the mailer's workers and frees everything; NULL is ignored. */
void	 sender_close(struct sender *);

/* One pass over what is due now (date NULL) or over local date date
 * ("YYYY-MM-DD"): failed_temp rows are retried only if last changed at or
 * before changed_by. Logs a summary line. Returns an exit status: 0,
 * EX_TEMPFAIL (some left for a later run), EX_UNAVAILABLE (the SMTP server
 * is unavailable) or 1. */
int	 sender_pass(struct sender *, const char *date, time_t changed_by);

/* 1 when the last pass failed because the store could not be reached
 * (PostgreSQL away, tried again for a minute): a daemon goes on and tries
 * again later. Never on SQLite. */
int	 sender_store_away(struct sender *);

/* The counts of the last pass. */
void	 sender_counts(const struct sender *, struct send_counts *);

/* The sender's read-write connection (the runs table, the schedule).
 * Borrowed. */
struct db *sender_db(struct sender *);

/* "smtp://host:port" or "file:DIR", for messages. Borrowed. */
const char *sender_target(const struct sender *);

#endif
