/*
 * send: the ledger-driven send loop, one pass at a time.
 *
 * One pass: release the claims of runs that died; list what is due (every
 * employee whose local date has reached their send time and has no ledger
 * row for that date, plus pending and failed_temp rows of the last days);
 * claim and plan them in small transactions; render each claimed row and
 * hand it to the mailer; record each outcome as it comes back, a group of
 * outcomes per transaction. 4xx replies are retried within the pass with
 * capped exponential backoff, then left failed_temp for a later run.
 *
 * Delivery is at-least-once: a digest is marked sent after the server's
 * 250, in the next group commit; a run killed between the two leaves the
 * row 'sending', and the next run sends the same digest again (same
 * Message-ID). README "The send ledger and delivery" has the details.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "db/db.h"
#include "db/digest.h"
#include "db/ledger.h"
#include "db/report.h"
#include "db/stmt.h"
#include "digest/compose.h"
#include "digest/mailer.h"
#include "digest/schedule.h"
#include "digest/send.h"

/*
 * Claims are planned in transactions of up to CLAIM_BATCH digests: each
 * commit writes every page the batch touched, and pages shared by the
 * digests of a batch (the code index's slice, the ledger's and the
 * suggestions' last pages) are written once for all of them (20,000
 * digests, before code slices: 32 a batch, 12.0 s; 128, 9.0 s). Outcomes that
 * come back meanwhile wait for the next commit of their own, so a batch
 * is also cut at CLAIM_BATCH_SECONDS, and outcomes are recorded at most
 * every DRAIN_SECONDS while claiming (one commit per outcome cost more
 * than the outcome). Both bound the at-least-once window in time.
 */
#define CLAIM_BATCH		128
/* Plannings of one batch that meet a unique key, at most (claim_batch). */
#define CONFLICT_TRIES		5
#define CLAIM_BATCH_SECONDS	0.025
#define DRAIN_SECONDS		0.002
#define RESULT_BATCH		256	/* outcomes recorded per transaction */
#define MESSAGE_MAX		(4 * 1024 * 1024)
#define RETRY_DELAY_MAX		60.0	/* seconds, within a run */
#define COMBO_BUCKETS		1024
#define WARN_MAX		10	/* failed digests named per pass */
/* Rendered messages waiting or in flight, per SMTP session: enough that
 * the sessions keep sending while the next batch is claimed and planned. */
#define WINDOW_PER_SESSION	32
/* Claims are renewed at least this often (seconds); a failed renewal is
 * tried again after RENEW_RETRY. */
#define RENEW_SECONDS		30
#define RENEW_RETRY		1.0
/* A statement that failed because the connection was lost (PostgreSQL)
 * is tried again after a pause from RECONNECT_FIRST seconds, doubling up
 * to RECONNECT_MAX, for RECONNECT_FOR seconds in all. */
#define RECONNECT_FIRST		0.05
#define RECONNECT_MAX		2.0
#define RECONNECT_FOR		60.0

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

time_t
send_clock_now(const struct send_clock *c)
{
	struct timespec ts;
	double dt;

	if (!c->fake)
		return time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	dt = (double)(ts.tv_sec - c->real0.tv_sec) +
	    (double)(ts.tv_nsec - c->real0.tv_nsec) / 1e9;
	return c->start + (time_t)(dt * c->speed);
}

int
send_clock_parse(struct send_clock *c, const char *now, const char *speed)
{
	struct tm tm;
	char *end;

	memset(c, 0, sizeof(*c));
	c->speed = 1;
	if (now == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	c->fake = 1;
	c->start = timegm(&tm);
	clock_gettime(CLOCK_MONOTONIC, &c->real0);
	if (speed != NULL) {
		c->speed = strtod(speed, &end);
		if (*end != '\0' || c->speed <= 0)
			return -1;
	}
	return 0;
}

/* Claims name their run by machine, pid and process start time, so a
 * later run on the same machine can tell a live claim from the leftovers
 * of a killed one without waiting for the lease to expire. */
static int
proc_start(long pid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	FILE *fp;
	size_t n;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* Field 2 is "(comm)" and may hold spaces: count after its ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	*start = strtoull(p + 1, NULL, 10);
	return 0;
}

/* Whether the process pid that started at start still runs. A process
 * /proc does not show (hidepid=invisible, as systemd's
 * ProtectProc=invisible gives a service: another user's runs are hidden
 * from it) is dead only when kill() says there is no such process; one
 * that exists but cannot be read is taken as live, and its claims wait
 * for the lease. */
static int
proc_alive(long pid, unsigned long long start)
{
	unsigned long long now;

	if (proc_start(pid, &now) == 0)
		return now == start;
	return !(kill((pid_t)pid, 0) == -1 && errno == ESRCH);
}

/* Where a PID names one process: the boot (a container shares its host's)
 * and the PID namespace (two containers do not share theirs). */
static void
machine_id(char *out, size_t len)
{
	FILE *fp;
	char buf[64] = "", ns[64] = "";
	ssize_t n;
	const char *p;

	if ((fp = fopen("/proc/sys/kernel/random/boot_id", "r")) != NULL) {
		if (fgets(buf, sizeof(buf), fp) == NULL)
			buf[0] = '\0';
		fclose(fp);
	}
	buf[strcspn(buf, "\n")] = '\0';
	/* "pid:[4026531836]" */
	if ((n = readlink("/proc/self/ns/pid", ns, sizeof(ns) - 1)) > 0)
		ns[n] = '\0';
	else
		ns[0] = '\0';
	p = strchr(ns, '[');
	snprintf(out, len, "%.8s.%.*s", buf[0] ? buf : "noboot",
	    p != NULL ? (int)strcspn(p + 1, "]") : 1, p != NULL ? p + 1 : "0");
}

static void
claimer_init(char *out, size_t len, char *machine, size_t mlen)
{
	unsigned long long start = 0;
	char host[64] = "";
	size_t i;

	machine_id(machine, mlen);
	(void)proc_start((long)getpid(), &start);
	if (gethostname(host, sizeof(host) - 1) == -1)
		host[0] = '\0';
	host[32] = '\0';
	/* The host is for people reading the ledger only. */
	for (i = 0; host[i] != '\0'; i++)
		if (host[i] == ':' || host[i] == '@' ||
		    (unsigned char)host[i] < 0x21 ||
		    (unsigned char)host[i] > 0x7e)
			host[i] = '_';
	snprintf(out, len, "%s:%ld:%llu@%s", machine, (long)getpid(), start,
	    host[0] ? host : "unknown");
}

int
send_claim_stale(const char *claimer, const char *self, int one_host,
    time_t claimed_at, time_t now, time_t lease,
    int (*alive)(long, unsigned long long))
{
	const char *colon = strchr(claimer, ':');
	size_t boot = strcspn(self, "."), n = strcspn(claimer, ".:");
	unsigned long long start;
	char *end;
	long pid;

	if (now - claimed_at > lease)
		return 1;
	/* Without a boot id every machine would look like this one (the
	 * PID namespace's number is the same everywhere): the lease only. */
	if (strncmp(self, "noboot.", 7) == 0)
		return 0;
	/* One host: a claimer of another boot died with it (or is no run
	 * of ours). */
	if (one_host && (claimer[n] == '\0' || n != boot ||
	    strncmp(claimer, self, boot) != 0))
		return 1;
	/* MACHINE:PID:START[@HOST]; strtol rather than sscanf, whose %ld is
	 * undefined on a number out of range. Anything else: the lease. */
	if (colon == NULL || colon == claimer ||
	    (size_t)(colon - claimer) != strlen(self) ||
	    strncmp(claimer, self, (size_t)(colon - claimer)) != 0)
		return 0;
	errno = 0;
	pid = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end != ':' || errno != 0 || pid <= 0)
		return one_host;
	colon = end;
	start = strtoull(colon + 1, &end, 10);
	if (end == colon + 1 || errno != 0 || (*end != '\0' && *end != '@'))
		return one_host;
	return !alive(pid, start);
}

/* The due answer per (zone, send time, frequency), memoised for a pass:
 * the C library holds one zone at a time, employees share few of them. */
struct combo {
	struct combo	*next;
	char		*key;
	int		 due;
	char		 date[DAY_DATE_LEN];
};

struct cand {
	int64_t		 emp;
	char		 date[DAY_DATE_LEN];
};

struct retry {
	int64_t		 id;
	char		 date[DAY_DATE_LEN];
	int		 tries;
	double		 at;		/* monotonic seconds */
};

struct sender {
	struct config	*cfg;
	struct db	*db;
	struct compose	*compose;
	struct mailer	*mailer;
	struct send_clock *clock;
	const volatile sig_atomic_t *stop;
	char		 claimer[128];
	char		 machine[48];	/* claimer's MACHINE part */
	time_t		 lease;		/* digest.claim_timeout */
	time_t		 renew_every;	/* seconds between renewals */
	double		 renew_at;	/* next renewal (mono) */
	int		 renew_failing;	/* the last renewal failed */
	double		 held_at;	/* last renewal that held (mono) */
	int		 may_retry;	/* the last failure may pass */
	int		 conflict;	/* it met a unique key (undo) */
	double		 reconnect_for;	/* RECONNECT_FOR, or the test's */
	int		 retries;
	double		 retry_delay;
	int		 window;	/* most messages in the mailer */
	int		 progress;	/* live line on a terminal */
	const char	*what;		/* "digest run", "schedule" */

	/* One pass. */
	struct cand	*cand;
	size_t		 ncand, candcap;
	struct retry	*retry;
	size_t		 nretry, retrycap;
	int		 total, sent, skipped, failed, left;
	int		 unavailable, stopping, broken;
	int		 warned;	/* per-digest warnings printed */
	char		 reason[256];
	double		 t0, last_print;
	double		 last_drain;	/* when outcomes were last recorded */
	struct combo	*combos[COMBO_BUCKETS];
};

static int
begin(struct sender *s)
{
	db_quiesce(s->db);
	return db_begin(s->db);
}

/* Rolls back after a failure, noting first whether trying the whole
 * transaction again may pass (the ROLLBACK's success would hide it). */
static void
undo(struct sender *s)
{
	s->may_retry = db_ledger_may_retry(s->db);
	s->conflict = db_ledger_conflict(s->db);
	db_rollback(s->db);
}

static void
combos_clear(struct sender *s)
{
	struct combo *c, *next;
	size_t i;

	for (i = 0; i < COMBO_BUCKETS; i++) {
		for (c = s->combos[i]; c != NULL; c = next) {
			next = c->next;
			free(c->key);
			free(c);
		}
		s->combos[i] = NULL;
	}
}

static int
minutes_of(const char *hhmm)
{
	const char *why;
	int m;

	if (validate_hhmm(hhmm, &m, &why) == -1)
		return -1;
	return m;
}

/* Whether an employee with these settings is due at now (date: given,
 * or NULL for "their local today"); fills date_out. */
static int
combo_due(struct sender *s, const struct ledger_employee *e,
    const char *date, time_t now, char *date_out)
{
	const char *tz = e->tz[0] ? e->tz : config_str(s->cfg,
	    "digest.timezone");
	const char *st = e->send_time[0] ? e->send_time : config_str(s->cfg,
	    "digest.send_time");
	char key[128];
	unsigned h = 5381;
	const char *p;
	struct combo *c;
	int f, m;

	snprintf(key, sizeof(key), "%s|%s|%s", tz, st, e->frequency);
	for (p = key; *p != '\0'; p++)
		h = h * 33 + (unsigned char)*p;
	h %= COMBO_BUCKETS;
	for (c = s->combos[h]; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			goto found;
	c = xcalloc(1, sizeof(*c));
	c->key = xstrdup(key);
	c->next = s->combos[h];
	s->combos[h] = c;
	f = frequency_parse(e->frequency);
	m = minutes_of(st);
	if (f == -1 || m == -1) {
		c->due = 0;
	} else if (date != NULL) {
		snprintf(c->date, sizeof(c->date), "%s", date);
		c->due = schedule_sends_on(f, date);
	} else
		c->due = schedule_due(tz, m, f, now, c->date) == 1;
found:
	memcpy(date_out, c->date, DAY_DATE_LEN);
	return c->due;
}

static void
cand_add(struct sender *s, int64_t emp, const char *date)
{
	if (s->ncand == s->candcap) {
		s->candcap = s->candcap ? s->candcap * 2 : 1024;
		s->cand = xreallocarray(s->cand, s->candcap, sizeof(*s->cand));
	}
	s->cand[s->ncand].emp = emp;
	snprintf(s->cand[s->ncand].date, DAY_DATE_LEN, "%s", date);
	s->ncand++;
}

/* The rows of rows[0..n) whose date has passed, given up, each in a
 * transaction of its own (db_ledger_expire): their posts go back to the
 * employee's pool for a later digest, which offers them unless they
 * expired meanwhile. */
static int
expire(struct sender *s, const struct ledger_row *rows, size_t n, time_t now)
{
	static const char reply[] = "not sent on its date; its posts wait "
	    "for a later digest";
	size_t i;
	int r, done = 0;

	for (i = 0; i < n; i++) {
		if (begin(s) == -1)
			return -1;
		if ((r = db_ledger_expire(s->db, rows[i].id, reply, now)) ==
		    -1 || db_commit(s->db) == -1) {
			undo(s);
			return -1;
		}
		done += r;
	}
	if (done > 0)
		log_info("%s: %d digest%s not sent on %s date given up; "
		    "their posts wait for a later digest", s->what, done,
		    done == 1 ? "" : "s", done == 1 ? "its" : "their");
	return 0;
}

static int
retry_cmp(const void *a, const void *b)
{
	const struct ledger_row *x = a, *y = b;

	if (x->employee_id != y->employee_id)
		return x->employee_id < y->employee_id ? -1 : 1;
	return strcmp(x->local_date, y->local_date);
}

/*
 * Lists what this pass should send. Rows left by earlier runs
 * (interrupted, or failed for now) are sent again with --date when they
 * are that date's; else each only on its own local date, today in its
 * employee's zone: a digest not sent on its date is not sent later,
 * where it would land beside the next one, two in one morning (README,
 * "Due").
 */
static int
collect(struct sender *s, const char *date, time_t now, time_t changed_by)
{
	struct ledger_employee emp[256];
	struct ledger_row rows[256], *late = NULL;
	char since[DAY_DATE_LEN], d[256][DAY_DATE_LEN];
	const char *dues[256];
	int64_t dueids[256];
	unsigned char due[256], has[256];
	size_t nlate = 0, latecap = 0, k, nexp = 0, ndue;
	int64_t after = 0;
	int n, i, rc = -1;

	s->ncand = 0;
	combos_clear(s);
	if (date == NULL) {
		if (day_local_date("UTC", now, since) == -1 ||
		    day_date_add(since, -1) == -1)
			return -1;
	}
	for (;;) {
		n = db_ledger_retryable(s->db, date ? NULL : since, date,
		    changed_by, after, rows, 256);
		if (n == -1)
			goto out;
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (date != NULL) {
				cand_add(s, rows[i].employee_id,
				    rows[i].local_date);
				continue;
			}
			if (nlate == latecap) {
				latecap = latecap ? latecap * 2 : 64;
				late = xreallocarray(late, latecap,
				    sizeof(*late));
			}
			late[nlate++] = rows[i];
		}
		after = rows[n - 1].id;
	}
	if (nlate > 1)
		qsort(late, nlate, sizeof(*late), retry_cmp);
	/* Employees whose digest is due and not yet in the ledger, and
	 * the rows left of their local today. */
	after = 0;
	k = 0;
	for (;;) {
		if ((n = db_ledger_employees(s->db, after, emp, 256)) == -1)
			goto out;
		if (n == 0)
			break;
		/* Which of the page's due employees have their row
		 * already: one look for the page (a round trip each would
		 * cost PostgreSQL's runs more than the rest of this). */
		for (i = 0, ndue = 0; i < n; i++)
			if ((due[i] = (unsigned char)combo_due(s, &emp[i],
			    date, now, d[i])) != 0) {
				dueids[ndue] = emp[i].id;
				dues[ndue++] = d[i];
			}
		if (db_ledger_have_rows(s->db, dueids, dues, ndue, has) == -1)
			goto out;
		for (i = 0, ndue = 0; i < n; i++) {
			for (; k < nlate && late[k].employee_id < emp[i].id;
			    k++)
				;
			for (; k < nlate && late[k].employee_id == emp[i].id;
			    k++) {
				if (strcmp(late[k].local_date, d[i]) == 0)
					cand_add(s, emp[i].id, d[i]);
				else if (d[i][0] != '\0' &&
				    strcmp(late[k].local_date, d[i]) < 0)
					late[nexp++] = late[k];	/* k >= nexp */
			}
			if (due[i] && !has[ndue++])
				cand_add(s, emp[i].id, d[i]);
		}
		after = emp[n - 1].id;
	}
	rc = expire(s, late, nexp, now);
out:
	free(late);
	return rc;
}

/* Claims of runs that died go back to pending, keeping their plan: a
 * run of this machine that is gone at once, any other when its lease
 * has run out (send_claim_stale()). */
static int
release_stale(struct sender *s, time_t now)
{
	struct ledger_claimer *who = NULL;
	time_t wall = time(NULL);
	size_t n = 0, i;
	int r, total = 0;

	if (begin(s) == -1)
		return -1;
	if (db_ledger_claimers(s->db, &who, &n) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		/* This run's own, left by an earlier pass whose final
		 * release failed (the store away): nothing is in flight
		 * between passes. */
		if (strcmp(who[i].claimer, s->claimer) == 0) {
			if ((r = db_ledger_release(s->db, s->claimer,
			    LEDGER_PENDING, NULL, now)) == -1)
				goto fail;
			total += r;
			continue;
		}
		if (!send_claim_stale(who[i].claimer, s->machine,
		    db_ledger_one_host(s->db), who[i].claimed_at, wall,
		    s->lease, proc_alive))
			continue;
		if ((r = db_ledger_release_stale(s->db, who[i].claimer,
		    who[i].claimed_at, now)) == -1)
			goto fail;
		if (r > 0)
			log_info("%s: %d digest%s claimed by %s, not renewed "
			    "for %lld s, taken over", s->what, r,
			    r == 1 ? "" : "s", who[i].claimer,
			    (long long)(wall - who[i].claimed_at));
		total += r;
	}
	db_ledger_claimers_free(who, n);
	if (db_commit(s->db) == -1)
		return -1;
	if (total > 0)
		log_info("%s: %d digest%s claimed by a run that stopped are "
		    "due again", s->what, total, total == 1 ? "" : "s");
	return 0;
fail:
	db_ledger_claimers_free(who, n);
	undo(s);
	return -1;
}

/*
 * A statement of a pass that has waited half a lease for a server that
 * stopped answering without closing (a backend stopped, a stalled disk)
 * has its connection dropped, and fails as on a lost connection: by
 * then the fence (below) has stopped the sends, and the pass can only
 * end and leave its claims. Without it the run would wait for as long as
 * the server stays silent, for ever with a host that stays up.
 */
static unsigned
watch_ms(const struct sender *s)
{
	return (unsigned)s->lease * 500u;
}

/*
 * The fence. Another run takes this run's claims over once their
 * claimed_at is a lease old, by its own clock. So this run sends nothing
 * later than half a lease after the last renewal it knows held (taken
 * from before that renewal was sent): its mailer hands back whatever
 * comes up after that (mailer_fence), checked again just before each
 * message's MAIL FROM, even while this thread is held in a statement of
 * a store that stopped answering; and the pass stops. The fence never
 * moves back within a pass: a renewal sent after it passed may find
 * some claims another run's already, and says nothing of which. The half
 * left covers a message already in its SMTP transaction, and clocks
 * that disagree by less than it.
 */
static double
fence(const struct sender *s)
{
	return s->held_at + (double)s->lease / 2;
}

static void
hold(struct sender *s, double t)
{
	s->held_at = t;
	mailer_fence(s->mailer, fence(s));
}

/* Past the fence: the pass stops, said once. */
static void
fenced(struct sender *s)
{
	if (!s->stopping)
		log_warnx("%s: claims not renewed for %.0f s, half the lease "
		    "(digest.claim_timeout); stopping before another run "
		    "takes them over", s->what, mono() - s->held_at);
	s->stopping = 1;
}

/* Renews this run's claims when renew_every has passed (by the monotonic
 * clock), so that runs on other machines leave them alone; a failed
 * renewal is tried again after RENEW_RETRY. Leases are measured by the
 * real clock, whatever the send clock (--now, --speed) says, on every
 * machine (which must agree on the time to well within the lease:
 * NTP). */
static void
renew(struct sender *s)
{
	double t = mono();

	if (t < s->renew_at)
		return;
	if (t >= fence(s)) {
		fenced(s);
		return;
	}
	db_quiesce(s->db);
	if (db_ledger_renew(s->db, s->claimer, time(NULL)) == -1) {
		if (!s->renew_failing)
			log_warnx("%s: claims not renewed; trying again",
			    s->what);
		s->renew_failing = 1;
		s->renew_at = t + RENEW_RETRY;
		/* A lost connection is made again for the next try: with
		 * every message in a slow session, nothing else would. */
		if (db_ledger_may_retry(s->db))
			(void)db_ledger_reconnect(s->db);
		return;
	}
	s->renew_failing = 0;
	s->renew_at = t + (double)s->renew_every;
	hold(s, t);
}

static void
progress(struct sender *s, int force)
{
	double now = mono(), el, rate;
	int done = s->sent + s->skipped + s->failed + s->left;
	int eta;

	if (!s->progress || (!force && now - s->last_print < 0.2))
		return;
	s->last_print = now;
	el = now - s->t0;
	rate = el > 0 ? s->sent / el : 0;
	eta = rate > 0 ? (int)((s->total - done) / rate) : 0;
	fprintf(stderr, "\rchorus: %s: %d/%d sent, %d skipped, %d failed, "
	    "%.0f/s, ETA %ds   ", s->what, s->sent, s->total, s->skipped,
	    s->failed, rate, eta < 0 ? 0 : eta);
}

static void
retry_add(struct sender *s, const struct mailer_msg *msg)
{
	double delay = s->retry_delay;
	int i;

	for (i = 1; i < msg->tries && delay < RETRY_DELAY_MAX; i++)
		delay *= 2;
	if (delay > RETRY_DELAY_MAX)
		delay = RETRY_DELAY_MAX;
	if (s->nretry == s->retrycap) {
		s->retrycap = s->retrycap ? s->retrycap * 2 : 64;
		s->retry = xreallocarray(s->retry, s->retrycap,
		    sizeof(*s->retry));
	}
	s->retry[s->nretry].id = msg->id;
	snprintf(s->retry[s->nretry].date, DAY_DATE_LEN, "%.10s",
	    msg->name);
	s->retry[s->nretry].tries = msg->tries + 1;
	s->retry[s->nretry].at = mono() + delay;
	s->nretry++;
}

/* One line per failed digest, up to WARN_MAX a pass; the ledger keeps
 * every reply. */
static void
warn_digest(struct sender *s, const char *what, const struct mailer_msg *msg)
{
	char who[300];

	/* Not rendered, a message has no recipient yet: its ledger row. */
	if (msg->rcpt[0] != '\0')
		snprintf(who, sizeof(who), "to '%s'", msg->rcpt);
	else
		snprintf(who, sizeof(who), "of ledger row %lld",
		    (long long)msg->id);
	if (s->warned < WARN_MAX)
		log_warnx("%s: digest %s %s: %s", s->what, who, what,
		    msg->reply);
	else if (s->warned == WARN_MAX)
		log_warnx("%s: more failed digests; their replies are in "
		    "the ledger", s->what);
	else
		log_debug("%s: digest %s %s: %s", s->what, who, what,
		    msg->reply);
	s->warned++;
}

/* What one outcome writes: 1 with *st to record, 0 for nothing. Counts
 * it and warns. */
static int
record(struct sender *s, struct mailer_msg *msg, enum ledger_state *st)
{
	switch (msg->status) {
	case MAILER_SENT:
		*st = LEDGER_SENT;
		s->sent++;
		break;
	case MAILER_PERM:
		*st = LEDGER_FAILED_PERM;
		s->failed++;
		warn_digest(s, msg->attempted ? "refused" : "not sent", msg);
		break;
	case MAILER_UNAVAILABLE:
		if (!s->unavailable) {
			s->unavailable = 1;
			snprintf(s->reason, sizeof(s->reason), "%s",
			    msg->reply);
			mailer_cancel(s->mailer, "not attempted: the SMTP "
			    "server is unavailable");
		}
		*st = LEDGER_FAILED_TEMP;
		s->left++;
		break;
	case MAILER_TEMP:
	default:
		/* Past the fence: the claims may be another run's by now.
		 * Nothing more is sent; the row is left as it is, released
		 * at the end if it is still this run's. */
		if (msg->fenced) {
			fenced(s);
			return 0;
		}
		/* Handed back unsent because the run is ending: the final
		 * release makes it pending or failed_temp. */
		if (!msg->attempted && (s->stopping || s->unavailable ||
		    s->broken))
			return 0;
		/* Tried again only while the row is this run's: one
		 * another run took over is that run's to send (drain). */
		if (!s->stopping && !s->unavailable &&
		    msg->tries < s->retries) {
			*st = LEDGER_SENDING;
			return 1;
		}
		*st = LEDGER_FAILED_TEMP;
		s->left++;
		warn_digest(s, "deferred", msg);
		break;
	}
	return 1;
}

/* What record() counts, kept to be put back when a transaction of
 * outcomes is tried again. */
struct sender_tally {
	int	 sent, skipped, failed, left, unavailable, warned;
	size_t	 nretry;
};

static void
tally_save(const struct sender *s, struct sender_tally *t)
{
	t->sent = s->sent;
	t->skipped = s->skipped;
	t->failed = s->failed;
	t->left = s->left;
	t->unavailable = s->unavailable;
	t->warned = s->warned;
	t->nretry = s->nretry;
}

static void
tally_restore(struct sender *s, const struct sender_tally *t)
{
	s->sent = t->sent;
	s->skipped = t->skipped;
	s->failed = t->failed;
	s->left = t->left;
	s->unavailable = t->unavailable;
	s->warned = t->warned;
	s->nretry = t->nretry;
}

/* After a failed transaction: whether to try it again. On PostgreSQL a
 * lost connection or a retryable SQLSTATE (serialization, deadlock) is
 * waited out with a growing pause, the connection made again, for up to
 * RECONNECT_FOR seconds from *since (0: now). Never on SQLite. */
static int
reconnect(struct sender *s, double *since, double *pause)
{
	int retry = s->may_retry || db_ledger_may_retry(s->db);

	s->may_retry = 0;
	if (!retry)
		return 0;
	if (*since == 0) {
		*since = mono();
		*pause = RECONNECT_FIRST;
		log_warnx("%s: %s; trying again", s->what,
		    "the database failed");
	}
	while (mono() - *since < s->reconnect_for) {
		usleep((useconds_t)(*pause * 1e6));
		*pause = *pause * 2 > RECONNECT_MAX ? RECONNECT_MAX :
		    *pause * 2;
		if (db_ledger_reconnect(s->db) == 0)
			return 1;
	}
	log_error("%s: the database is still unreachable after %.0f s",
	    s->what, s->reconnect_for);
	return 0;
}

/* Collects finished messages (waiting up to wait_ms for the first) and
 * records them in one transaction. */
static int
drain(struct sender *s, int wait_ms)
{
	struct mailer_msg *got[RESULT_BATCH];
	struct ledger_outcome out[RESULT_BATCH];
	struct mailer_msg *of[RESULT_BATCH];
	enum ledger_state st;
	double since = 0, pause = 0;
	int n = 0, i, rc = 0, k;
	time_t now;

	if ((got[0] = mailer_collect(s->mailer, wait_ms)) == NULL)
		return 0;
	n = 1;
	while (n < RESULT_BATCH &&
	    (got[n] = mailer_collect(s->mailer, 0)) != NULL)
		n++;
	now = send_clock_now(s->clock);
	s->last_drain = mono();
	/* Recording again after a lost connection is safe: a row whose
	 * outcome did commit is no longer 'sending', and is left alone. */
	for (;;) {
		struct sender_tally t;

		tally_save(s, &t);
		for (i = k = 0; i < n; i++)
			if (record(s, got[i], &st)) {
				out[k].id = got[i]->id;
				out[k].state = st;
				out[k].reply = got[i]->reply;
				out[k].attempt = got[i]->attempted;
				of[k++] = got[i];
			}
		/* A row no longer this run's is left as it is (-2); a
		 * failed statement fails them all: PostgreSQL's COMMIT would
		 * roll the rest back without a word. One statement for all
		 * on PostgreSQL. */
		if (begin(s) == 0 && db_ledger_finish_many(s->db, s->claimer,
		    out, (size_t)k, now) == 0 && db_commit(s->db) == 0) {
			/* A retry only for a row still this run's. */
			for (i = 0; i < k; i++)
				if (out[i].state == LEDGER_SENDING &&
				    out[i].rc == 0)
					retry_add(s, of[i]);
			break;
		}
		undo(s);
		tally_restore(s, &t);
		if (!reconnect(s, &since, &pause)) {
			rc = -1;
			break;
		}
	}
	for (i = 0; i < n; i++) {
		/* Handed back before a worker rendered it. */
		compose_plan_free(got[i]->plan);
		mailer_msg_free(got[i]);
	}
	if (rc == -1)
		s->broken = 1;
	progress(s, 0);
	return rc;
}

/* Waiting on the mailer: records outcomes at most every DRAIN_SECONDS,
 * so that one commit takes the few that came back meanwhile rather than
 * each its own. */
static int
drain_paced(struct sender *s)
{
	double since = mono() - s->last_drain;

	/* The claims too: a pass can wait here for as long as the mailer
	 * takes to make room for a whole batch (slow sessions, a low
	 * smtp.rate), far longer than the lease; not renewed, they would
	 * be taken over by a run on another machine while this one still
	 * sends them. */
	renew(s);

	if (since >= 0 && since < DRAIN_SECONDS)
		usleep((useconds_t)((DRAIN_SECONDS - since) * 1e6));
	return drain(s, 100);
}

static int
fail_row(struct sender *s, int64_t id, const char *reply, time_t now)
{
	s->failed++;
	return db_ledger_finish(s->db, id, s->claimer, LEDGER_FAILED_PERM,
	    reply, 0, now);
}

/* Hands a claimed row to the mailer; a worker renders it (render_msg),
 * from plan when there is one (its owner from now on), else from what the
 * ledger row's plan recorded. */
static int
submit(struct sender *s, int64_t id, const char *date, int tries,
    struct compose_plan *plan)
{
	struct mailer_msg *msg;

	/* Record what has come back before handing more (at most every
	 * DRAIN_SECONDS): the sooner an outcome is committed, the narrower
	 * the at-least-once window. */
	if (mono() - s->last_drain >= DRAIN_SECONDS && drain(s, 0) == -1) {
		compose_plan_free(plan);
		return -1;
	}
	while (!s->broken && mailer_pending(s->mailer) >= s->window)
		if (drain_paced(s) == -1) {
			compose_plan_free(plan);
			return -1;
		}
	msg = mailer_msg_new(MESSAGE_MAX);
	msg->id = id;
	msg->tries = tries;
	msg->plan = plan;
	snprintf(msg->name, sizeof(msg->name), "%s-%08lld", date,
	    (long long)id);
	mailer_submit(s->mailer, msg);
	return 0;
}

/* Rendering on the mailer's threads: each has its own connection and
 * compose (a compose serves one thread), reading what the claim's
 * transaction committed. */
struct render_ctx {
	struct db	*db;
	struct compose	*compose;
	struct send_clock *clock;
	double		 reconnect_for;
};

static void *
render_open(void *arg)
{
	struct sender *s = arg;
	struct render_ctx *r = xcalloc(1, sizeof(*r));

	r->clock = s->clock;
	r->reconnect_for = s->reconnect_for;
	/* Read-only: rendering only reads what the claim committed, and a
	 * connection that may write would take the write lock to bring the
	 * reports' roll-up up to date (sender_pass does that once). */
	if ((r->db = db_open(config_str(s->cfg, "chorus.database"),
	    DB_READONLY)) == NULL || db_digest_render_tune(r->db) == -1 ||
	    (r->compose = compose_new(s->cfg)) == NULL) {
		if (r->db != NULL)
			db_close(r->db);
		free(r);
		return NULL;
	}
	(void)db_watch(r->db, watch_ms(s));
	return r;
}

static void
render_close(void *arg)
{
	struct render_ctx *r = arg;

	compose_free(r->compose);
	db_close(r->db);
	free(r);
}

static int
render_msg(void *arg, struct mailer_msg *msg)
{
	struct render_ctx *r = arg;
	double pause = RECONNECT_FIRST, t0 = 0;
	int rc;

	/* Someone who unsubscribed, paused or left since the digest was
	 * planned (a minute ago, or before a retry) gets nothing more: -3.
	 * A store away is the render's below. */
	if (db_digest_unwanted(r->db, msg->id) == 1) {
		compose_plan_free(msg->plan);
		msg->plan = NULL;
		db_quiesce(r->db);
		return -3;
	}

	/* A plan made by this run is in memory: reading it back would cost
	 * more than rendering it (each commit of the planner empties this
	 * connection's page cache). */
	if (msg->plan != NULL) {
		rc = compose_render_plan(r->compose, r->db, msg->plan,
		    send_clock_now(r->clock), &msg->data, msg->rcpt,
		    sizeof(msg->rcpt));
		compose_plan_free(msg->plan);
		msg->plan = NULL;
	} else
		rc = compose_render(r->compose, r->db, msg->id,
		    send_clock_now(r->clock), &msg->data, msg->rcpt,
		    sizeof(msg->rcpt));
	/* The store went away (PostgreSQL): render again from what the
	 * claim committed, once the connection is back, rather than give
	 * the digest up; still away after reconnect_for, the digest is
	 * deferred (-2: a 4xx's fate), never failed for good. */
	while (rc == -1 && db_ledger_may_retry(r->db)) {
		if (t0 == 0)
			t0 = mono();
		if (mono() - t0 > r->reconnect_for) {
			rc = -2;
			break;
		}
		usleep((useconds_t)(pause * 1e6));
		pause = pause * 2 > RECONNECT_MAX ? RECONNECT_MAX : pause * 2;
		db_rollback(r->db);
		if (db_ledger_reconnect(r->db) == -1)
			continue;
		buf_reset(&msg->data);
		rc = compose_render(r->compose, r->db, msg->id,
		    send_clock_now(r->clock), &msg->data, msg->rcpt,
		    sizeof(msg->rcpt));
	}
	/* Hold no read snapshot between messages: it would keep the WAL
	 * from being checkpointed. */
	db_quiesce(r->db);
	return rc;
}

/* Claims and plans up to CLAIM_BATCH candidates in one transaction, then
 * renders and submits the ones to send. Undone, it leaves the counts as
 * they were. */
static int
claim_batch_once(struct sender *s, size_t *next, int replan)
{
	struct {
		int64_t id;
		char date[DAY_DATE_LEN];
		struct compose_plan *plan;	/* NULL: planned before */
	} got[CLAIM_BATCH];
	size_t ngot = 0, i, end = *next + CLAIM_BATCH;
	time_t now = send_clock_now(s->clock), wall = time(NULL);
	struct sender_tally tally;
	double t0;
	int64_t id;
	int planned, r, n, total;

	if (end > s->ncand)
		end = s->ncand;
	tally_save(s, &tally);
	total = s->total;
	s->conflict = 0;
	if (begin(s) == -1)
		return -1;
	if (db_ledger_claims_begin(s->db) == -1)
		goto fail;
	t0 = mono();
	for (i = *next; i < end; i++) {
		const struct cand *c = &s->cand[i];

		/* Outcomes wait while the claim is open: bound it in time. */
		if (i > *next && mono() - t0 > CLAIM_BATCH_SECONDS) {
			end = i;
			break;
		}
		if (db_ledger_savepoint(s->db) == -1)
			goto fail;
		r = compose_claim(s->compose, s->db, c->emp, c->date,
		    s->claimer, now, wall, &id, &planned);
		if (r == -1)
			goto fail;
		if (r == 0) {
			/* Another run has it, or it is done. */
			s->total--;
			if (db_ledger_savepoint_release(s->db) == -1)
				goto fail;
			continue;
		}
		n = planned ? 1 : compose_plan(s->compose, s->db, c->emp, id,
		    c->date, now);
		/* A deadlock or a lost connection: the whole batch again;
		 * a unique key met too, unless planned again too often
		 * already (see claim_batch): then that digest fails. */
		if (n == -1 && (db_ledger_may_retry(s->db) ||
		    (replan && db_ledger_conflict(s->db))))
			goto fail;
		if (n == -1) {
			/* Undo what the plan wrote; keep a row saying why. */
			if (db_ledger_savepoint_rollback(s->db) == -1 ||
			    db_ledger_claim(s->db, c->emp, c->date, s->claimer,
			    now, wall, &id, &planned) != 1 ||
			    fail_row(s, id, "could not compose the digest",
			    now) == -1)
				goto fail;
			continue;
		}
		if (n == 0) {
			if (db_ledger_finish(s->db, id, s->claimer,
			    LEDGER_SKIPPED, "nothing new to suggest", 0,
			    now) == -1)
				goto fail;
			s->skipped++;
		} else {
			got[ngot].id = id;
			memcpy(got[ngot].date, c->date, DAY_DATE_LEN);
			got[ngot].plan = planned ? NULL :
			    compose_plan_take(s->compose);
			ngot++;
		}
		if (db_ledger_savepoint_release(s->db) == -1)
			goto fail;
	}
	if (db_commit(s->db) == -1)
		goto fail;
	*next = end;
	for (i = 0; i < ngot; i++)
		if (submit(s, got[i].id, got[i].date, 1, got[i].plan) == -1) {
			while (++i < ngot)
				compose_plan_free(got[i].plan);
			s->conflict = 0;	/* committed: not again */
			return -1;
		}
	return 0;
fail:
	undo(s);
	tally_restore(s, &tally);
	s->total = total;
	for (i = 0; i < ngot; i++)
		compose_plan_free(got[i].plan);
	return -1;
}

/*
 * As claim_batch_once, planned again when it met a unique key. Two runs
 * planning one employee at once (for two dates: `digest run --date` and
 * the scheduler, say) may choose the same post; PostgreSQL makes the
 * second INSERT INTO suggestions wait for the first run's commit and
 * then fails it. Planned again, the batch sees the first run's
 * suggestions and chooses other posts, or none. At the last of
 * CONFLICT_TRIES plannings a digest that still meets one fails for good,
 * and the rest of the batch goes on.
 */
static int
claim_batch(struct sender *s, size_t *next)
{
	int tries = 0, r;

	while ((r = claim_batch_once(s, next, tries + 1 < CONFLICT_TRIES)) ==
	    -1 && s->conflict && ++tries < CONFLICT_TRIES && !s->broken)
		log_info("%s: another run planned the same digests at the "
		    "same time; planning them again", s->what);
	return r;
}

static int
retries_due(struct sender *s, double *soonest)
{
	double now = mono();
	size_t i = 0;
	struct retry r;

	*soonest = 0;
	while (i < s->nretry) {
		if (s->retry[i].at > now) {
			if (*soonest == 0 || s->retry[i].at < *soonest)
				*soonest = s->retry[i].at;
			i++;
			continue;
		}
		r = s->retry[i];
		s->retry[i] = s->retry[--s->nretry];
		if (submit(s, r.id, r.date, r.tries, NULL) == -1)
			return -1;
	}
	return 0;
}

/* One pass over what is due (date NULL) or over one local date. Returns an
 * exit status. */
int
sender_pass(struct sender *s, const char *date, time_t changed_by)
{
	time_t now = send_clock_now(s->clock);
	size_t next = 0;
	double soonest, since, pause = 0;
	const char *msg;
	int r, status;

	s->total = s->sent = s->skipped = s->failed = s->left = 0;
	s->unavailable = s->stopping = s->broken = s->warned = 0;
	s->nretry = 0;
	s->reason[0] = '\0';
	s->t0 = mono();
	s->last_print = 0;
	since = 0;
	while (release_stale(s, now) == -1 ||
	    collect(s, date, now, changed_by) == -1)
		if (!reconnect(s, &since, &pause))
			return 1;
	/* The digests' results come from the reports' roll-up: fold the
	 * new hits in once, here, not on each rendering thread. */
	/* The fold may rightly run long (a backlog of hits): unwatched. */
	(void)db_watch(s->db, 0);
	if (s->ncand > 0 && db_report_refresh(s->db) == -1)
		log_warnx("%s: the results in the digests may be out of date",
		    s->what);
	(void)db_watch(s->db, watch_ms(s));
	s->total = (int)s->ncand;

	/* Every claim of this pass is made from here on: its claimed_at is
	 * at least this. */
	s->renew_at = mono() + (double)s->renew_every;
	s->renew_failing = 0;
	hold(s, mono());
	while (!s->broken && !s->unavailable && !s->stopping) {
		if (*s->stop) {
			s->stopping = 1;
			break;
		}
		renew(s);
		if (s->stopping)	/* past the fence */
			break;
		if (retries_due(s, &soonest) == -1)
			break;
		if (next < s->ncand) {
			/* A batch undone by a lost connection is claimed
			 * again: a row this run claimed is its own still. */
			since = 0;
			do
				r = claim_batch(s, &next);
			while (r == -1 && !s->broken &&
			    reconnect(s, &since, &pause));
			if (r == -1)
				break;
		} else if (mailer_pending(s->mailer) > 0) {
			if (drain_paced(s) == -1)
				break;
		} else if (s->nretry > 0) {
			/* Only retries left: wait for the soonest. */
			double wait = soonest - mono();

			if (wait > 0)
				usleep((useconds_t)(wait > 0.2 ? 200000 :
				    wait * 1e6));
		} else
			break;
	}

	/* Wind down: queued messages come back unsent, in-flight ones
	 * finish; then every row still held is released. */
	if (s->stopping || s->unavailable || s->broken)
		mailer_cancel(s->mailer, "not attempted: the run is ending");
	while (mailer_pending(s->mailer) > 0) {
		renew(s);
		if (drain(s, 200) == -1 && s->broken)
			mailer_cancel(s->mailer, "not attempted");
	}
	now = send_clock_now(s->clock);
	since = 0;
	for (;;) {
		db_quiesce(s->db);
		if (s->unavailable) {
			char reply[300];

			snprintf(reply, sizeof(reply), "not attempted: %s",
			    s->reason);
			r = db_ledger_release(s->db, s->claimer,
			    LEDGER_FAILED_TEMP, reply, now);
		} else
			r = db_ledger_release(s->db, s->claimer,
			    LEDGER_PENDING, NULL, now);
		if (r != -1 || !reconnect(s, &since, &pause))
			break;
	}
	if (r > 0)
		s->left += r;
	/* Due but never claimed because the run ended early. */
	if (next < s->ncand)
		s->left += (int)(s->ncand - next);
	if (s->progress && s->total > 0) {
		progress(s, 1);
		fputc('\n', stderr);
	}

	if (s->broken || r == -1)
		status = 1;
	else if (s->unavailable)
		status = EX_UNAVAILABLE;
	else if (s->left > 0)
		status = EX_TEMPFAIL;
	else
		status = 0;
	msg = s->unavailable ? s->reason : NULL;
	if (s->total > 0 || status != 0 || !strcmp(s->what, "digest run")) {
		double el = mono() - s->t0;

		if (msg != NULL)
			log_error("%s: SMTP server %s unavailable (%s); %d "
			    "sent, %d skipped, %d failed, %d left for a later "
			    "run", s->what, mailer_target(s->mailer), msg,
			    s->sent, s->skipped, s->failed, s->left);
		else
			log_info("%s: %d sent, %d skipped, %d failed, %d left "
			    "for a later run, in %.1f s (%.0f/s)%s", s->what,
			    s->sent, s->skipped, s->failed, s->left, el,
			    el > 0 ? s->sent / el : 0.0,
			    s->stopping ? "; stopped" : "");
	}
	return status;
}

struct sender *
sender_open(struct config *cfg, struct send_clock *clock, const char *what,
    const volatile sig_atomic_t *stop, int flags)
{
	struct sender *s = xcalloc(1, sizeof(*s));
	struct mailer_render render;
	const char *env;

	s->cfg = cfg;
	s->clock = clock;
	s->stop = stop;
	s->what = what;
	s->retries = (int)config_int(cfg, "smtp.retries");
	s->retry_delay = config_double(cfg, "smtp.retry_delay");
	s->window = (int)config_int(cfg, "smtp.connections") *
	    WINDOW_PER_SESSION;
	s->progress = (flags & SEND_PROGRESS) && isatty(STDERR_FILENO) &&
	    log_level() >= LOG_LEVEL_INFO;
	claimer_init(s->claimer, sizeof(s->claimer), s->machine,
	    sizeof(s->machine));
	s->lease = (time_t)config_int(cfg, "digest.claim_timeout");
	/* Tests: a lease shorter than the 60 s the setting allows. */
	if ((env = getenv("CHORUS_TEST_CLAIM_TIMEOUT")) != NULL) {
		char *end;
		long v = strtol(env, &end, 10);

		if (end != env && *end == '\0' && v >= 2 && v < 60)
			s->lease = (time_t)v;
	}
	/* Tests: give up on an unreachable store sooner. */
	s->reconnect_for = RECONNECT_FOR;
	if ((env = getenv("CHORUS_TEST_RECONNECT_FOR")) != NULL) {
		char *end;
		double v = strtod(env, &end);

		if (end != env && *end == '\0' && v > 0)
			s->reconnect_for = v;
	}
	s->renew_every = s->lease / 4 < RENEW_SECONDS ? s->lease / 4 :
	    RENEW_SECONDS;
	/* Tests: renew sooner than a lease of at least 60 s allows. */
	if ((env = getenv("CHORUS_TEST_RENEW_EVERY")) != NULL) {
		char *end;
		long v = strtol(env, &end, 10);

		if (end != env && *end == '\0' && v > 0 && v <= 30)
			s->renew_every = (time_t)v;
	}
	if ((s->db = db_open(config_str(cfg, "chorus.database"), 0)) == NULL)
		goto fail;
	(void)db_watch(s->db, watch_ms(s));
	if ((s->compose = compose_new(cfg)) == NULL)
		goto fail;
	compose_keep_plans(s->compose, 1);
	render.open = render_open;
	render.close = render_close;
	render.render = render_msg;
	render.arg = s;
	if ((s->mailer = mailer_new(cfg, &render)) == NULL)
		goto fail;
	return s;
fail:
	sender_close(s);
	return NULL;
}

void
sender_close(struct sender *s)
{
	if (s == NULL)
		return;
	if (s->mailer != NULL)
		mailer_free(s->mailer);
	if (s->compose != NULL)
		compose_free(s->compose);
	if (s->db != NULL)
		db_close(s->db);
	combos_clear(s);
	free(s->cand);
	free(s->retry);
	free(s);
}

int
sender_store_away(struct sender *s)
{
	return db_ledger_may_retry(s->db);
}

struct db *
sender_db(struct sender *s)
{
	return s->db;
}

const char *
sender_target(const struct sender *s)
{
	return mailer_target(s->mailer);
}

void
sender_counts(const struct sender *s, struct send_counts *c)
{
	c->total = s->total;
	c->sent = s->sent;
	c->skipped = s->skipped;
	c->failed = s->failed;
	c->left = s->left;
}
