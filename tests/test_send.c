/*
 * test_send: the send loop (digest/send.c) on a real SQLite file, with the
 * real mailer queues and compose, and the SMTP transport replaced at link
 * time (-Wl,--wrap=smtp_transport_*) by a fake server whose replies depend
 * on the recipient: a 250 marks the row sent; 4xx replies are retried
 * within the pass up to smtp.retries, then left failed_temp for a later
 * run, which sends the same digest once; a 5xx is failed_perm for good; a
 * run killed between a 250 and its commit is sent again by the next run
 * with the same Message-ID, and only that; the mailer never holds more
 * than the window; an unreachable server ends the pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "common/network.h"
#include "db/db.h"
#include "db/digest.h"
#include "db/employees.h"
#include "db/ledger.h"
#include "db/posts.h"
#include "db/stmt.h"
#include "digest/mailer.h"
#include "digest/send.h"
#include "digest/smtp.h"

#define NOW	"2026-11-23T09:00:00Z"	/* a Monday, after 08:00 */
#define DATE	"2026-11-23"
#define T0	((time_t)1795424400)	/* NOW as a time_t */
#define MAXEMP	128

void	*__wrap_smtp_transport_open(const char *, const struct config *);
void	 __wrap_smtp_transport_send(void *, struct mailer *,
	    struct mailer_msg *);
void	 __wrap_smtp_transport_close(void *);

static char tmpdir[64];
static char dbpath[128], logpath[128];
static struct db *db;
static struct config *cfg;
static struct send_clock clk;
static volatile sig_atomic_t stop;
static int64_t emp[MAXEMP];
static int nemp;

/* The fake server. */
static pthread_mutex_t fake_mu = PTHREAD_MUTEX_INITIALIZER;
static int fake_down;		/* every session fails to connect */
static int fake_accept_all;	/* 250 whoever the recipient */
static int fake_crash_at;	/* _exit() after this many 250s (child) */
static int fake_250s;
static int fake_max_pending;
static int fake_state;
/* test_renew_waiting: the first message is held until its row's claim is
 * renewed (fake_renewed), for at most 10 s. */
static int fake_hold_for_renewal;
static int fake_renewed;
/* test_taken_over: the row of a 451 is taken over by another run before
 * the reply comes back. */
static int fake_steal_on_4xx;
/* test_fenced: each message takes this long to send. */
static int fake_delay_ms;
/* test_unsub_retry: a 4xx's recipient unsubscribes before the retry. */
static int fake_unsub_on_4xx;

void *
__wrap_smtp_transport_open(const char *url, const struct config *c)
{
	(void)url;
	(void)c;
	return &fake_state;
}

void
__wrap_smtp_transport_close(void *state)
{
	assert_ptr_equal(state, &fake_state);
}

/* One attempt per line: "RCPT CODE MESSAGE-ID ROW", appended by whichever
 * process sent it, so what a killed run sent is still there. */
static void
fake_log(const struct mailer_msg *msg, int code)
{
	char line[512], mid[128] = "-";
	const char *p = strstr(msg->data.data, "Message-ID: ");
	int fd, n;

	if (p != NULL)
		snprintf(mid, sizeof(mid), "%.*s", (int)strcspn(p + 12,
		    "\r\n"), p + 12);
	n = snprintf(line, sizeof(line), "%s %d %s %lld\n", msg->rcpt, code,
	    mid, (long long)msg->id);
	fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT, 0644);
	assert_true(fd != -1);
	assert_int_equal(write(fd, line, (size_t)n), n);
	close(fd);
}

static int
fake_code(const struct mailer_msg *msg)
{
	if (fake_accept_all || strncmp(msg->rcpt, "ok", 2) == 0)
		return 250;
	if (strncmp(msg->rcpt, "perm", 4) == 0)
		return 550;
	if (strncmp(msg->rcpt, "flaky", 5) == 0)
		return msg->tries == 1 ? 451 : 250;
	return 451;
}

/* Whether the claim of ledger row id is renewed within 10 s (its
 * claimed_at moves on), read on a connection of its own. */
static int
claim_renewed(int64_t id)
{
	struct db *own;
	struct db_q *q;
	int64_t first = -1, at;
	int i, renewed = 0;

	assert_non_null(own = db_open(dbpath, 0));
	assert_non_null(q = db_q(own, "SELECT claimed_at FROM ledger "
	    "WHERE id = ?1"));
	for (i = 0; i < 100 && !renewed; i++) {
		db_q_int64(q, 1, id);
		assert_int_equal(db_q_step(q), DB_Q_ROW);
		at = db_q_col_int64(q, 0);
		db_q_reset(q);
		if (first == -1)
			first = at;
		else if (at > first)
			renewed = 1;
		else
			usleep(100 * 1000);
	}
	db_close(own);
	return renewed;
}

/* Runs sql on a connection of its own. */
static void
sql_run(const char *sql)
{
	struct db *own;
	struct db_q *q;

	assert_non_null(own = db_open(dbpath, 0));
	assert_non_null(q = db_q(own, sql));
	assert_int_equal(db_q_done(own, q, "test"), 0);
	db_close(own);
}

/* Another run takes ledger row id over, as after the lease. */
static void
claim_steal(int64_t id)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "UPDATE ledger SET claimed_by = "
	    "'ffff0000.1:1:1@elsewhere' WHERE id = %lld", (long long)id);
	sql_run(sql);
}

/* The employee of address rcpt (the fixture's: no quote in it)
 * unsubscribes. */
static void
unsubscribe(const char *rcpt)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "UPDATE employees SET unsubscribed_at = 1 "
	    "WHERE email = '%s'", rcpt);
	sql_run(sql);
}

void
__wrap_smtp_transport_send(void *state, struct mailer *m,
    struct mailer_msg *msg)
{
	int code, pending;

	assert_ptr_equal(state, &fake_state);
	if (fake_down) {
		mailer_finish(m, msg, MAILER_UNAVAILABLE, 0,
		    "cannot connect to 127.0.0.1:2525: Connection refused");
		return;
	}
	if (mailer_ready(m, msg) == -1)
		return;
	if (fake_delay_ms > 0)
		usleep((useconds_t)fake_delay_ms * 1000);
	if (fake_hold_for_renewal) {
		fake_hold_for_renewal = 0;	/* one session: no race */
		fake_renewed = claim_renewed(msg->id);
	}
	pending = mailer_pending(m);
	msg->attempted = 1;
	code = fake_code(msg);
	if (code / 100 == 4 && fake_steal_on_4xx)
		claim_steal(msg->id);
	if (code / 100 == 4 && fake_unsub_on_4xx)
		unsubscribe(msg->rcpt);
	fake_log(msg, code);
	pthread_mutex_lock(&fake_mu);
	if (pending > fake_max_pending)
		fake_max_pending = pending;
	if (code == 250 && ++fake_250s == fake_crash_at)
		_exit(0);	/* killed after the 250, before the commit */
	pthread_mutex_unlock(&fake_mu);
	mailer_finish(m, msg, mailer_classify(code), code, "%d fake", code);
}

/* The attempts logged for rcpt (NULL: all), with that code (0: any); the
 * Message-ID of the last one into mid. */
static int
attempts(const char *rcpt, int code, char *mid, size_t midlen)
{
	char r[256], m[128];
	long long row;
	FILE *fp;
	int c, n = 0;

	if ((fp = fopen(logpath, "r")) == NULL)
		return 0;
	while (fscanf(fp, "%255s %d %127s %lld", r, &c, m, &row) == 4) {
		if ((rcpt != NULL && strcmp(r, rcpt) != 0) ||
		    (code != 0 && c != code))
			continue;
		n++;
		if (mid != NULL)
			snprintf(mid, midlen, "%s", m);
	}
	fclose(fp);
	return n;
}

/* A database with one post for everyone and these employees (daily,
 * default zone and send time, so all due at NOW), and the settings. */
static void
fixture(const char **emails, int n, const char *retries)
{
	struct employee_in e;
	struct post_in p;
	struct ledger_employee le[MAXEMP];
	enum db_upsert res;
	char path[256];
	const char *src = getenv("CHORUS_SRC");
	int i;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/chorus-test-send.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof(dbpath), "%s/chorus.db", tmpdir);
	snprintf(logpath, sizeof(logpath), "%s/sent.log", tmpdir);
	assert_non_null(db = db_open(dbpath, DB_CREATE));
	assert_int_equal(db_migrate(db, NULL, NULL), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_employees_import_begin(db), 0);
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.email = emails[i];
		e.name = "Employee";
		e.networks = NET_ALL;
		e.frequency = "daily";
		e.roles[e.nroles++] = "staff";
		assert_int_equal(db_employees_upsert(db, &e, T0 - 86400 * 30,
		    &res, NULL), 0);
	}
	memset(&p, 0, sizeof(p));
	p.id = "launch";
	p.title = "Launch day";
	p.url = "https://example.com/launch";
	p.summary = "A summary";
	p.text = "Default text";
	p.priority = 1;
	p.everyone = 1;
	assert_int_equal(db_posts_upsert(db, &p, T0 - 86400 * 30, &res), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_ledger_employees(db, 0, le, MAXEMP), n);
	for (i = 0; i < n; i++)
		emp[i] = le[i].id;
	nemp = n;

	cfg = config_new();
	snprintf(path, sizeof(path), "%s/tests/data/compose",
	    src ? src : ".");
	assert_int_equal(config_set(cfg, "chorus.database", dbpath, "test"),
	    0);
	assert_int_equal(config_set(cfg, "chorus.templates", path, "test"), 0);
	assert_int_equal(config_set(cfg, "chorus.base_url",
	    "https://go.example.com/", "test"), 0);
	assert_int_equal(config_set(cfg, "smtp.url", "smtp://127.0.0.1:2525",
	    "test"), 0);
	assert_int_equal(config_set(cfg, "smtp.connections", "1", "test"), 0);
	assert_int_equal(config_set(cfg, "smtp.retries", retries, "test"), 0);
	assert_int_equal(config_set(cfg, "smtp.retry_delay", "0", "test"), 0);
	assert_int_equal(config_set(cfg, "digest.results", "no", "test"), 0);
	assert_int_equal(config_set(cfg, "digest.highlights", "no", "test"),
	    0);
	assert_int_equal(send_clock_parse(&clk, NOW, NULL), 0);
	stop = 0;
	fake_down = fake_accept_all = fake_crash_at = fake_250s = 0;
	fake_max_pending = 0;
	fake_delay_ms = 0;
	fake_unsub_on_4xx = 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (db != NULL)
		db_close(db);
	db = NULL;
	config_free(cfg);
	cfg = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* One pass as `digest run` makes it (changed_by: failed_temp rows last
 * changed after it are not retried yet). */
static int
pass(time_t changed_by, struct send_counts *n)
{
	struct sender *s;
	int status;

	assert_non_null(s = sender_open(cfg, &clk, "digest run", &stop, 0));
	status = sender_pass(s, NULL, changed_by);
	sender_counts(s, n);
	sender_close(s);
	return status;
}

static int
state_of(int i)
{
	return db_ledger_state_of(db, emp[i], DATE);
}

/* Every state of the date: the ledger holds one row per employee. */
static int
rows(void)
{
	int st, n = 0;

	for (st = LEDGER_PENDING; st < LEDGER_NONE; st++)
		n += db_ledger_count(db, DATE, (enum ledger_state)st);
	return n;
}

/* A 250 marks the row sent, in the pass; a second pass sends nothing. */
static void
test_sent(void **state)
{
	const char *who[] = { "ok1@example.com", "ok2@example.com",
	    "ok3@example.com" };
	struct send_counts n;
	char mid[128], want[128], r[256], date[16];
	long long row;
	int64_t eid;
	FILE *fp;
	int c;

	(void)state;
	fixture(who, 3, "3");
	assert_int_equal(pass(T0, &n), 0);
	assert_int_equal(n.total, 3);
	assert_int_equal(n.sent, 3);
	assert_int_equal(n.left + n.failed + n.skipped, 0);
	assert_int_equal(state_of(0), LEDGER_SENT);
	assert_int_equal(state_of(2), LEDGER_SENT);
	assert_int_equal(attempts("ok2@example.com", 250, NULL, 0), 1);
	/* What went out is the digest the ledger planned. */
	assert_non_null(fp = fopen(logpath, "r"));
	assert_int_equal(fscanf(fp, "%255s %d %127s %lld", r, &c, mid, &row),
	    4);
	fclose(fp);
	assert_int_equal(db_digest_ledger_get(db, row, &eid, date,
	    sizeof(date), want, sizeof(want)), 1);
	assert_non_null(strstr(mid, want));

	assert_int_equal(pass(T0 + 3600, &n), 0);
	assert_int_equal(n.total, 0);
	assert_int_equal(attempts(NULL, 0, NULL, 0), 3);
	assert_int_equal(rows(), 3);
}

/* 4xx: retried within the pass up to smtp.retries attempts, then
 * failed_temp; not retried again before changed_by; a later run sends the
 * same digest once. A 4xx then a 250 is sent in the same pass. */
static void
test_transient(void **state)
{
	const char *who[] = { "temp@example.com", "flaky@example.com" };
	struct send_counts n;
	char mid1[128], mid2[128];

	(void)state;
	fixture(who, 2, "2");
	assert_int_equal(pass(T0, &n), EX_TEMPFAIL);
	assert_int_equal(n.sent, 1);
	assert_int_equal(n.left, 1);
	assert_int_equal(state_of(0), LEDGER_FAILED_TEMP);
	assert_int_equal(state_of(1), LEDGER_SENT);
	assert_int_equal(attempts("temp@example.com", 451, mid1,
	    sizeof(mid1)), 2);
	assert_int_equal(attempts("flaky@example.com", 0, NULL, 0), 2);
	assert_int_equal(attempts("flaky@example.com", 250, NULL, 0), 1);

	/* Too recent to retry. */
	assert_int_equal(pass(T0 - 300, &n), 0);
	assert_int_equal(n.total, 0);
	assert_int_equal(attempts(NULL, 0, NULL, 0), 4);

	/* Later: sent once, the same digest, still one row each. */
	fake_accept_all = 1;
	assert_int_equal(pass(T0 + 3600, &n), 0);
	assert_int_equal(n.total, 1);
	assert_int_equal(n.sent, 1);
	assert_int_equal(state_of(0), LEDGER_SENT);
	assert_int_equal(attempts("temp@example.com", 250, mid2,
	    sizeof(mid2)), 1);
	assert_string_equal(mid1, mid2);
	assert_int_equal(attempts("flaky@example.com", 250, NULL, 0), 1);
	assert_int_equal(rows(), 2);
}

/* A digest left failed_temp on its date is not sent on the next one,
 * where it would land beside that day's (two in one morning): it is
 * given up, and its post goes back for the next digest, which offers it
 * (the fixture has this one post only). */
static void
test_late(void **state)
{
	const char *who[] = { "temp@example.com" };
	struct send_counts n;
	struct db_q *q;

	(void)state;
	fixture(who, 1, "1");
	assert_int_equal(pass(T0, &n), EX_TEMPFAIL);
	assert_int_equal(state_of(0), LEDGER_FAILED_TEMP);
	/* The next morning, the server taking everything. */
	fake_accept_all = 1;
	assert_int_equal(send_clock_parse(&clk, "2026-11-24T09:00:00Z", NULL),
	    0);
	assert_int_equal(pass(T0 + 86400, &n), 0);
	assert_int_equal(n.sent, 1);
	assert_int_equal(attempts("temp@example.com", 250, NULL, 0), 1);
	assert_int_equal(attempts("temp@example.com", 451, NULL, 0), 1);
	assert_int_equal(state_of(0), LEDGER_FAILED_PERM);
	assert_int_equal(db_ledger_state_of(db, emp[0], "2026-11-24"),
	    LEDGER_SENT);
	/* The post is the new date's now, suggested once. */
	assert_non_null(q = db_q(db, "SELECT count(*) FROM suggestions s "
	    "JOIN ledger l ON l.id = s.ledger_id WHERE l.local_date = "
	    "'2026-11-24'"));
	assert_int_equal(db_q_step(q), DB_Q_ROW);
	assert_int_equal(db_q_col_int64(q, 0), 1);
	db_q_reset(q);
	/* A third morning: nothing left to send. */
	assert_int_equal(send_clock_parse(&clk, "2026-11-25T09:00:00Z", NULL),
	    0);
	assert_int_equal(pass(T0 + 2 * 86400, &n), 0);
	assert_int_equal(n.sent, 0);
	assert_int_equal(attempts("temp@example.com", 250, NULL, 0), 1);
}

/* Someone who unsubscribes after a 4xx gets no retry: the digest is
 * failed_perm, saying why. */
static void
test_unsub_retry(void **state)
{
	const char *who[] = { "flaky@example.com" };
	struct send_counts n;

	(void)state;
	fixture(who, 1, "3");
	fake_unsub_on_4xx = 1;
	(void)pass(T0, &n);
	fake_unsub_on_4xx = 0;
	assert_int_equal(attempts("flaky@example.com", 0, NULL, 0), 1);
	assert_int_equal(attempts("flaky@example.com", 250, NULL, 0), 0);
	assert_int_equal(state_of(0), LEDGER_FAILED_PERM);
}

/* 5xx: failed_perm after one attempt, never retried. */
static void
test_permanent(void **state)
{
	const char *who[] = { "perm@example.com", "ok@example.com" };
	struct send_counts n;

	(void)state;
	fixture(who, 2, "3");
	assert_int_equal(pass(T0, &n), 0);
	assert_int_equal(n.failed, 1);
	assert_int_equal(n.sent, 1);
	assert_int_equal(state_of(0), LEDGER_FAILED_PERM);
	assert_int_equal(attempts("perm@example.com", 0, NULL, 0), 1);
	fake_accept_all = 1;
	assert_int_equal(pass(T0 + 86400 * 2, &n), 0);
	assert_int_equal(n.total, 0);
	assert_int_equal(state_of(0), LEDGER_FAILED_PERM);
	assert_int_equal(attempts("perm@example.com", 0, NULL, 0), 1);
	assert_int_equal(rows(), 2);
}

/* A run killed right after the first 250, before recording it: the next
 * run finds the dead run's claims, sends those digests, the one that had
 * gone out again with the same Message-ID (at-least-once), and each row
 * ends sent once; a third run sends nothing. */
static void
test_crash(void **state)
{
	const char *who[] = { "ok1@example.com", "ok2@example.com",
	    "ok3@example.com" };
	struct send_counts n;
	char mid_first[128], mid_again[128], rcpt[256], m[128];
	long long row;
	FILE *fp;
	pid_t pid;
	int status, c;

	(void)state;
	fixture(who, 3, "3");
	fake_crash_at = 1;
	if ((pid = fork()) == 0) {
		/* No cmocka here: a failure must not run on in the child. */
		struct sender *s = sender_open(cfg, &clk, "digest run", &stop,
		    0);

		if (s != NULL)
			(void)sender_pass(s, NULL, T0);
		_exit(3);	/* the crash did not happen */
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(attempts(NULL, 0, NULL, 0), 1);
	assert_int_equal(db_ledger_count(db, DATE, LEDGER_SENDING), 3);
	fp = fopen(logpath, "r");
	assert_non_null(fp);
	assert_int_equal(fscanf(fp, "%255s %d %127s %lld", rcpt, &c,
	    mid_first, &row), 4);
	assert_string_not_equal(mid_first, "-");
	fclose(fp);

	fake_crash_at = 0;
	assert_int_equal(pass(T0, &n), 0);
	assert_int_equal(n.sent, 3);
	assert_int_equal(db_ledger_count(db, DATE, LEDGER_SENT), 3);
	assert_int_equal(rows(), 3);
	assert_int_equal(attempts(NULL, 0, NULL, 0), 4);
	assert_int_equal(attempts(rcpt, 250, mid_again, sizeof(mid_again)),
	    2);
	assert_string_equal(mid_first, mid_again);
	for (c = 0; c < 3; c++)
		if (strcmp(who[c], rcpt) != 0)
			assert_int_equal(attempts(who[c], 0, m, sizeof(m)), 1);

	assert_int_equal(pass(T0 + 3600, &n), 0);
	assert_int_equal(n.total, 0);
	assert_int_equal(attempts(NULL, 0, NULL, 0), 4);
}

/* The mailer never holds more than smtp.connections x 32 messages, so a
 * crash can cost no more than that window. */
static void
test_window(void **state)
{
	static char addr[100][32];
	const char *who[100];
	struct send_counts n;
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		snprintf(addr[i], sizeof(addr[i]), "ok%d@example.com", i);
		who[i] = addr[i];
	}
	fixture(who, 100, "3");
	assert_int_equal(pass(T0, &n), 0);
	assert_int_equal(n.sent, 100);
	assert_int_equal(attempts(NULL, 250, NULL, 0), 100);
	assert_true(fake_max_pending > 0);
	assert_true(fake_max_pending <= 32);
}

/* No session: the pass ends, exit 69, what it claimed is failed_temp with
 * the reason, nothing was attempted; the next run sends it. */
static void
test_unavailable(void **state)
{
	const char *who[] = { "ok1@example.com", "ok2@example.com" };
	struct send_counts n;

	(void)state;
	fixture(who, 2, "3");
	fake_down = 1;
	assert_int_equal(pass(T0, &n), EX_UNAVAILABLE);
	assert_int_equal(n.sent, 0);
	assert_int_equal(n.left, 2);
	assert_int_equal(db_ledger_count(db, DATE, LEDGER_FAILED_TEMP), 2);
	assert_int_equal(attempts(NULL, 0, NULL, 0), 0);
	fake_down = 0;
	assert_int_equal(pass(T0 + 3600, &n), 0);
	assert_int_equal(n.sent, 2);
	assert_int_equal(rows(), 2);
}

/* More claims than the mailer's window, and the first message held: the
 * pass waits in handing over the rest, and renews its claims meanwhile
 * (else a run on another machine would take them over after the lease
 * while this one still sends them). */
static void
test_renew_waiting(void **state)
{
	static char addr[40][32];
	const char *who[40];
	struct send_counts n;
	int i;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(addr[i], sizeof(addr[i]), "ok%d@example.com", i);
		who[i] = addr[i];
	}
	fixture(who, 40, "3");
	assert_int_equal(setenv("CHORUS_TEST_RENEW_EVERY", "1", 1), 0);
	fake_hold_for_renewal = 1;
	fake_renewed = 0;
	assert_int_equal(pass(T0, &n), 0);
	unsetenv("CHORUS_TEST_RENEW_EVERY");
	assert_int_equal(n.sent, 40);
	assert_int_equal(fake_renewed, 1);
}

/* Renewals that fail for half the lease: the run sends nothing more
 * (another run may take its claims over at the lease) and leaves the
 * rest pending; the next run sends each of those once. Each message
 * takes 250 ms, so the 40 would take 10 s against a fence at 2 s. */
static void
test_fenced(void **state)
{
	static char addr[40][32];
	const char *who[40];
	struct send_counts n;
	char mid[128];
	int i;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(addr[i], sizeof(addr[i]), "ok%d@example.com", i);
		who[i] = addr[i];
	}
	fixture(who, 40, "3");
	sql_run("CREATE TRIGGER no_renewal BEFORE UPDATE OF claimed_at "
	    "ON ledger WHEN OLD.state = 'sending' AND NEW.state = 'sending' "
	    "BEGIN SELECT RAISE(ABORT, 'the store does not answer'); END");
	assert_int_equal(setenv("CHORUS_TEST_CLAIM_TIMEOUT", "4", 1), 0);
	fake_delay_ms = 250;
	assert_int_equal(pass(T0, &n), EX_TEMPFAIL);
	fake_delay_ms = 0;
	assert_true(n.sent < 40);
	assert_int_equal(attempts(NULL, 0, NULL, 0), n.sent);
	assert_int_equal(db_ledger_count(db, DATE, LEDGER_SENT), n.sent);
	assert_int_equal(db_ledger_count(db, DATE, LEDGER_PENDING),
	    40 - n.sent);
	assert_int_equal(rows(), 40);

	sql_run("DROP TRIGGER no_renewal");
	assert_int_equal(pass(T0, &n), 0);
	unsetenv("CHORUS_TEST_CLAIM_TIMEOUT");
	assert_int_equal(db_ledger_count(db, DATE, LEDGER_SENT), 40);
	for (i = 0; i < 40; i++)
		assert_int_equal(attempts(addr[i], 250, mid, sizeof(mid)), 1);
}

/* test_fence_one_way's other run: for up to 8 s, takes over every claim
 * not renewed for the lease (4 s), as release_stale() would; lets the
 * renewals through from 5 s on. */
static void *
other_run(void *arg)
{
	struct db *own;
	struct db_q *q;
	int i;

	(void)arg;
	if ((own = db_open(dbpath, 0)) == NULL)
		return NULL;
	for (i = 0; i < 40; i++) {
		usleep(200 * 1000);
		if (i == 25 && (q = db_q(own, "DROP TRIGGER no_renewal")) !=
		    NULL)
			(void)db_q_done(own, q, "test");
		if ((q = db_q(own, "UPDATE ledger SET claimed_by = "
		    "'ffff0000.1:1:1@elsewhere' WHERE state = 'sending' AND "
		    "claimed_at < CAST(strftime('%s', 'now') AS INTEGER) - 4 "
		    "AND claimed_by <> 'ffff0000.1:1:1@elsewhere'")) != NULL)
			(void)db_q_done(own, q, "test");
	}
	db_close(own);
	return NULL;
}

/* Whether the fake server saw an attempt for ledger row id. */
static int
attempted_row(int64_t id)
{
	char r[256], m[128];
	long long row;
	FILE *fp;
	int c, n = 0;

	if ((fp = fopen(logpath, "r")) == NULL)
		return 0;
	while (fscanf(fp, "%255s %d %127s %lld", r, &c, m, &row) == 4)
		n += row == id;
	fclose(fp);
	return n > 0;
}

/* The fence never moves back: renewals fail past it, another run takes
 * the claims over at the lease, then renewals work again. The run must
 * have stopped at the fence, and sent none of what the other run took
 * (40 messages at 4 a second take 10 s; the fence is at 2 s, the first
 * takeover after 4 s, renewals back at 5 s). */
static void
test_fence_one_way(void **state)
{
	static char addr[40][32];
	const char *who[40];
	struct send_counts n;
	struct db_q *q;
	pthread_t t;
	int i, stolen = 0;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(addr[i], sizeof(addr[i]), "ok%d@example.com", i);
		who[i] = addr[i];
	}
	fixture(who, 40, "3");
	assert_int_equal(config_set(cfg, "smtp.rate", "4", "test"), 0);
	sql_run("CREATE TRIGGER no_renewal BEFORE UPDATE OF claimed_at "
	    "ON ledger WHEN OLD.state = 'sending' AND NEW.state = 'sending' "
	    "BEGIN SELECT RAISE(ABORT, 'the store does not answer'); END");
	assert_int_equal(setenv("CHORUS_TEST_CLAIM_TIMEOUT", "4", 1), 0);
	assert_int_equal(setenv("CHORUS_TEST_RENEW_EVERY", "1", 1), 0);
	assert_int_equal(pthread_create(&t, NULL, other_run, NULL), 0);
	(void)pass(T0, &n);
	pthread_join(t, NULL);
	unsetenv("CHORUS_TEST_CLAIM_TIMEOUT");
	unsetenv("CHORUS_TEST_RENEW_EVERY");
	assert_true(n.sent < 40);
	assert_non_null(q = db_q(db, "SELECT id FROM ledger WHERE "
	    "claimed_by = 'ffff0000.1:1:1@elsewhere'"));
	while (db_q_step(q) == DB_Q_ROW) {
		stolen++;
		assert_false(attempted_row(db_q_col_int64(q, 0)));
	}
	db_q_reset(q);
	/* Stopped at the fence, this run released its claims before the
	 * other could take any. */
	assert_int_equal(stolen, 0);
	assert_int_equal(db_ledger_count(db, DATE, LEDGER_SENT), n.sent);
	assert_int_equal(db_ledger_count(db, DATE, LEDGER_PENDING),
	    40 - n.sent);
}

/* A 4xx for a row another run has taken over meanwhile: not tried again
 * by this run (the other sends it), and the row left as the other run
 * holds it. */
static void
test_taken_over(void **state)
{
	const char *who[] = { "ok1@example.com", "slow@example.com" };
	struct send_counts n;

	(void)state;
	fixture(who, 2, "3");
	fake_steal_on_4xx = 1;
	(void)pass(T0, &n);
	fake_steal_on_4xx = 0;
	assert_int_equal(attempts("slow@example.com", 0, NULL, 0), 1);
	assert_int_equal(attempts("ok1@example.com", 250, NULL, 0), 1);
	assert_int_equal(n.sent, 1);
}

static int
fake_alive(long pid, unsigned long long start)
{
	/* Process 100 started at 7 is running; nothing else is. */
	return pid == 100 && start == 7;
}

/* The lease rule: a claim not renewed for the lease is taken over,
 * whoever holds it; a claim of this machine's, at once when its process
 * is gone; another machine's, never before the lease. */
static void
test_lease(void **state)
{
	const char *self = "a1b2c3d4.4026531836";
	const time_t lease = 600, t = 1800000000;

#define STALE(claimer, one_host, at) \
	send_claim_stale(claimer, self, one_host, at, t, lease, fake_alive)
	(void)state;
	/* Another machine (another boot, or a container's PID namespace):
	 * live however its PID looks here, until the lease runs out. */
	assert_int_equal(STALE("ffff0000.4026531836:999:1@db2", 0, t), 0);
	assert_int_equal(STALE("a1b2c3d4.4026532000:999:1@c2", 0, t - 599), 0);
	assert_int_equal(STALE("ffff0000.4026531836:999:1@db2", 0, t - 600), 0);
	assert_int_equal(STALE("ffff0000.4026531836:999:1@db2", 0, t - 601), 1);
	/* This machine: the process is gone (or its PID reused), at once. */
	assert_int_equal(STALE("a1b2c3d4.4026531836:999:1@me", 0, t), 1);
	assert_int_equal(STALE("a1b2c3d4.4026531836:100:8", 0, t), 1);
	/* ... and live while it runs, until the lease runs out. */
	assert_int_equal(STALE("a1b2c3d4.4026531836:100:7@me", 0, t - 10), 0);
	assert_int_equal(STALE("a1b2c3d4.4026531836:100:7@me", 0, t - 601), 1);
	/* A claimer of another shape (an older chorus, a hand-made row):
	 * the lease only. */
	assert_int_equal(STALE("a1b2c3d4:999:1", 0, t), 0);
	assert_int_equal(STALE("x:1", 0, t), 0);
	assert_int_equal(STALE("a1b2c3d4.4026531836:99x:1", 0, t), 0);
	assert_int_equal(STALE("", 0, t - 601), 1);
	/* On one host (SQLite), a claimer of an earlier boot, or none of
	 * ours, is gone; of another PID namespace of this boot, judged by
	 * the lease. */
	assert_int_equal(STALE("ffff0000.4026531836:100:7@me", 1, t), 1);
	assert_int_equal(STALE("ffff0000:100:7", 1, t), 1);
	assert_int_equal(STALE("x:1", 1, t), 1);
	assert_int_equal(STALE("a1b2c3d4.4026532000:999:1@c2", 1, t), 0);
	assert_int_equal(STALE("a1b2c3d4.4026531836:100:7@me", 1, t), 0);
	/* A claim renewed by a clock ahead of ours is live. */
	assert_int_equal(STALE("ffff0000.1:999:1@db2", 0, t + 60), 0);
#undef STALE
	/* Without a boot id of its own, a run cannot tell this machine
	 * from another (each has the same PID namespace number): the
	 * lease only, on either kind of store. */
	self = "noboot.4026531836";
#define STALE(claimer, one_host, at) \
	send_claim_stale(claimer, self, one_host, at, t, lease, fake_alive)
	assert_int_equal(STALE("noboot.4026531836:999:1@db2", 0, t), 0);
	assert_int_equal(STALE("noboot.4026531836:999:1@db2", 1, t), 0);
	assert_int_equal(STALE("a1b2c3d4.4026531836:999:1@me", 1, t), 0);
	assert_int_equal(STALE("noboot.4026531836:999:1@db2", 0, t - 601),
	    1);
#undef STALE
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sent, teardown),
		cmocka_unit_test_teardown(test_transient, teardown),
		cmocka_unit_test_teardown(test_late, teardown),
		cmocka_unit_test_teardown(test_unsub_retry, teardown),
		cmocka_unit_test_teardown(test_permanent, teardown),
		cmocka_unit_test_teardown(test_crash, teardown),
		cmocka_unit_test_teardown(test_window, teardown),
		cmocka_unit_test_teardown(test_unavailable, teardown),
		cmocka_unit_test_teardown(test_renew_waiting, teardown),
		cmocka_unit_test_teardown(test_taken_over, teardown),
		cmocka_unit_test_teardown(test_fenced, teardown),
		cmocka_unit_test_teardown(test_fence_one_way, teardown),
		cmocka_unit_test(test_lease),
	};

	log_init("chorus", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
