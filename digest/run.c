/*
 * digest run / digest schedule: the two commands that drive the send loop
 * (digest/send.c). `digest run` makes one pass and exits; `digest schedule`
 * is the daemon that sleeps until the next employee's send time, makes a
 * pass, records each batch in the runs table, and reloads its settings on
 * SIGHUP.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/log.h"
#include "common/validate.h"
#include "db/db.h"
#include "db/ledger.h"
#include "digest/digest.h"
#include "digest/schedule.h"
#include "digest/send.h"

#define RETRY_LATER		300	/* scheduler: failed_temp again after */
#define SCHEDULE_SLEEP_MAX	60	/* seconds between looks, at most */

static volatile sig_atomic_t got_stop;
static volatile sig_atomic_t got_reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_reload = 1;
	else
		got_stop = 1;
}

static void
signals_install(int hup)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal cuts a sleep short. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (hup)
		sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static const struct option run_opts[] = {
	{ "date", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	/* Tests only: a fixed clock. */
	{ "now", required_argument, NULL, 'N' },
	{ "speed", required_argument, NULL, 'S' },
	{ NULL, 0, NULL, 0 },
};

static void
run_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: chorus digest run [--date YYYY-MM-DD]\n"
	    "\n"
	    "Sends every digest that is due now: each employee's local date "
	    "has reached\n"
	    "their send time and they have not had that date's digest. "
	    "Digests that an\n"
	    "earlier run could not finish are retried.\n"
	    "\n"
	    "  -d, --date D   send the digest of local date D to every "
	    "active employee\n"
	    "                 who has not had it, whatever the hour\n"
	    "  -h, --help     this help\n"
	    "\n"
	    "Exit status: 0 done; 75 some digests were deferred (retry "
	    "later);\n"
	    "69 the SMTP server is unavailable; 64 a bad option or setting; "
	    "1 any\nother error.\n");
}

int
digest_cmd_run(struct chorus *ch, int argc, char **argv)
{
	struct sender *s;
	struct send_clock clock;
	struct send_counts n;
	const char *date = NULL, *now = NULL, *speed = NULL, *why;
	int64_t run;
	int c, y, mo, d, status;

	while ((c = cli_getopt(argc, argv, "d:h", run_opts,
	    "digest run")) != -1) {
		switch (c) {
		case 'd':
			date = optarg;
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		case 'N':
			now = optarg;
			break;
		case 'S':
			speed = optarg;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("digest run", "unexpected '%s'",
		    argv[optind]);
	if (date != NULL && validate_date(date, &y, &mo, &d, &why) == -1)
		return cli_usage_error("digest run", "--date '%s': %s", date,
		    why);
	if (send_clock_parse(&clock, now, speed) == -1)
		return cli_usage_error("digest run", "--now wants "
		    "YYYY-MM-DDTHH:MM:SSZ");
	if (config_check_mail(ch->cfg) == -1)
		return EX_USAGE;
	signals_install(0);
	if ((s = sender_open(ch->cfg, &clock, "digest run", &got_stop,
	    SEND_PROGRESS)) == NULL)
		return 1;
	run = db_ledger_run_start(sender_db(s), date ? "date" : "run",
	    send_clock_now(&clock));
	status = sender_pass(s, date, send_clock_now(&clock));
	sender_counts(s, &n);
	db_quiesce(sender_db(s));
	if (run != -1)
		(void)db_ledger_run_finish(sender_db(s), run,
		    send_clock_now(&clock), n.sent, n.skipped,
		    n.failed + n.left, status);
	sender_close(s);
	return status;
}

/* The scheduler. */

struct wake {
	const struct config *cfg;
	time_t		 now;
	time_t		 next;
};

static int
wake_fn(void *arg, const char *tz, const char *send_time, const char *freq)
{
	struct wake *w = arg;
	const struct config *cfg = w->cfg;
	const char *why;
	time_t t;
	int f, m;

	if (*tz == '\0')
		tz = config_str(cfg, "digest.timezone");
	if (*send_time == '\0')
		send_time = config_str(cfg, "digest.send_time");
	if ((f = frequency_parse(freq)) == -1 ||
	    validate_hhmm(send_time, &m, &why) == -1)
		return 0;
	t = schedule_next(tz, m, f, w->now);
	if (t != (time_t)-1 && (w->next == (time_t)-1 || t < w->next))
		w->next = t;
	return 0;
}

/* Sleeps until the next send instant, at most SCHEDULE_SLEEP_MAX seconds
 * of the clock, so imports, edits and clock changes are noticed within a
 * minute; a signal cuts it short. */
static void
schedule_sleep(struct sender *s, const struct config *cfg,
    const struct send_clock *clock)
{
	struct wake w = { cfg, send_clock_now(clock), (time_t)-1 };
	struct timespec ts;
	double secs;

	if (db_ledger_each_schedule(sender_db(s), wake_fn, &w) == -1 ||
	    w.next == (time_t)-1 || w.next - w.now > SCHEDULE_SLEEP_MAX)
		secs = SCHEDULE_SLEEP_MAX;
	else
		secs = (double)(w.next - w.now);
	if (secs < 1)
		secs = 1;
	secs /= clock->speed;
	log_debug("schedule: sleeping %.1f s", secs);
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	if (!got_stop && !got_reload)
		nanosleep(&ts, NULL);
}

static int
schedule_reload(struct chorus *ch)
{
	struct config *cfg = config_new();
	const char *db = config_str(ch->cfg, "chorus.database");

	if ((ch->config_path != NULL &&
	    config_load_file(cfg, ch->config_path, 1) == -1) ||
	    config_load_env(cfg, ch->envp) == -1 ||
	    (strcmp(config_origin(ch->cfg, "chorus.database"), "--db") == 0 &&
	    config_set(cfg, "chorus.database", db, "--db") == -1) ||
	    config_check_mail(cfg) == -1) {
		log_warnx("schedule: settings not reloaded; keeping the old "
		    "ones");
		config_free(cfg);
		return -1;
	}
	config_free(ch->cfg);
	ch->cfg = cfg;
	return 0;
}

static const struct option schedule_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "now", required_argument, NULL, 'N' },
	{ "speed", required_argument, NULL, 'S' },
	{ "until", required_argument, NULL, 'U' },
	{ NULL, 0, NULL, 0 },
};

static void
schedule_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: chorus digest schedule\n"
	    "\n"
	    "The scheduler daemon: sends each employee's digest at their "
	    "local send time,\n"
	    "catches up digests missed while it was down (same local date), "
	    "never twice.\n"
	    "It sleeps until the next send time, looking again at least "
	    "every minute.\n"
	    "SIGTERM: finish the messages in flight and exit 0. SIGHUP: "
	    "reload settings.\n"
	    "\n"
	    "  -h, --help     this help\n");
}

int
digest_cmd_schedule(struct chorus *ch, int argc, char **argv)
{
	struct sender *s;
	struct send_clock clock;
	struct send_counts n;
	const char *now = NULL, *speed = NULL, *until = NULL;
	struct send_clock stop_at;
	time_t end = (time_t)-1;
	int c, status, rc = 0;

	while ((c = cli_getopt(argc, argv, "h", schedule_opts,
	    "digest schedule")) != -1) {
		switch (c) {
		case 'h':
			schedule_usage(stdout);
			return 0;
		case 'N':
			now = optarg;
			break;
		case 'S':
			speed = optarg;
			break;
		case 'U':
			until = optarg;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("digest schedule", "unexpected '%s'",
		    argv[optind]);
	if (send_clock_parse(&clock, now, speed) == -1 ||
	    (until != NULL && send_clock_parse(&stop_at, until, NULL) == -1))
		return cli_usage_error("digest schedule", "--now/--until want "
		    "YYYY-MM-DDTHH:MM:SSZ");
	if (until != NULL)
		end = stop_at.start;
	if (config_check_mail(ch->cfg) == -1)
		return EX_USAGE;
	signals_install(1);
	if ((s = sender_open(ch->cfg, &clock, "schedule", &got_stop, 0)) ==
	    NULL)
		return 1;
	log_info("schedule: started, sending to %s", sender_target(s));
	while (!got_stop) {
		time_t t0;
		int64_t run;

		if (got_reload) {
			got_reload = 0;
			if (schedule_reload(ch) == 0) {
				sender_close(s);
				if ((s = sender_open(ch->cfg, &clock,
				    "schedule", &got_stop, 0)) == NULL) {
					rc = 1;
					break;
				}
				log_info("schedule: settings reloaded, sending "
				    "to %s", sender_target(s));
			}
		}
		t0 = send_clock_now(&clock);
		if (end != (time_t)-1 && t0 >= end)
			break;
		status = sender_pass(s, NULL, t0 - RETRY_LATER);
		sender_counts(s, &n);
		db_quiesce(sender_db(s));
		if (n.total > 0 && (run = db_ledger_run_start(sender_db(s),
		    "schedule", t0)) != -1)
			(void)db_ledger_run_finish(sender_db(s), run,
			    send_clock_now(&clock), n.sent, n.skipped,
			    n.failed + n.left, status);
		/* The store away (PostgreSQL): the next wake tries again. */
		if (status == 1 && sender_store_away(s))
			log_warnx("schedule: the database is unreachable; "
			    "trying again within a minute");
		else if (status == 1) {
			rc = 1;
			break;
		}
		if (got_stop)
			break;
		schedule_sleep(s, ch->cfg, &clock);
	}
	log_info("schedule: stopped");
	sender_close(s);
	return rc;
}
