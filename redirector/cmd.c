/*
 * chorus redirector: the short-link server. Opens the database, starts the
 * hit writer and the HTTP thread pool, then waits for SIGTERM or SIGINT to
 * stop gracefully: no new connections, answers in progress finished, every
 * queued hit committed, exit 0.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/log.h"
#include "db/db.h"
#include "db/stmt.h"
#include "redirector/hitlog.h"
#include "redirector/http.h"
#include "redirector/judge.h"
#include "redirector/metrics.h"
#include "redirector/route.h"

static void
redirector_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus redirector [--listen ADDR:PORT]\n"
	    "\n"
	    "Serves the short links (/CODE, /s/CODE), the unsubscribe,\n"
	    "preferences and \"not for me\" pages (/u/TOKEN, /p/TOKEN,\n"
	    "/n/CODE), /healthz and /metrics, recording every hit in the\n"
	    "database before answering; under the path of chorus.base_url\n"
	    "too, when it has one.\n"
	    "\n"
	    "  -l, --listen ADDR:PORT  address to serve (redirector.listen,\n"
	    "                          default 127.0.0.1:8080)\n"
	    "  -h, --help              this help\n"
	    "\n"
	    "SIGTERM or SIGINT stops it after the answers in progress.\n");
}

int
cmd_redirector(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct http_conf conf;
	struct judge_conf jc;
	struct metrics *m = NULL;
	struct route *route = NULL;
	struct hitlog *hl = NULL;
	struct http *http = NULL;
	struct db *db = NULL;
	struct timespec tick = { 30, 0 };
	sigset_t set;
	int c, sig, rc = 1;

	while ((c = cli_getopt(argc, argv, "l:h", longopts,
	    "redirector")) != -1) {
		switch (c) {
		case 'l':
			if (config_set(ch->cfg, "redirector.listen", optarg,
			    "--listen") == -1)
				return EX_USAGE;
			break;
		case 'h':
			redirector_usage(stdout);
			return 0;
		default:
			return EX_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error("redirector", "unexpected argument '%s'",
		    argv[optind]);

	/* Every thread started below inherits this mask; only sigwait()
	 * below sees the signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	if (config_check_templates(ch->cfg) == -1)
		return EX_USAGE;
	config_warn_production(ch->cfg, CONFIG_WARN_LINKS);
	memset(&conf, 0, sizeof(conf));
	conf.listen = config_str(ch->cfg, "redirector.listen");
	conf.db_path = config_str(ch->cfg, "chorus.database");
	conf.threads = (unsigned)config_int(ch->cfg, "redirector.threads");
	conf.timeout = (unsigned)config_int(ch->cfg, "redirector.timeout");
	conf.deadline = (unsigned)config_int(ch->cfg,
	    "redirector.request_deadline");
	conf.max_connections = (unsigned)config_int(ch->cfg,
	    "redirector.max_connections");
	conf.max_per_ip = (unsigned)config_int(ch->cfg,
	    "redirector.max_per_ip");

	m = metrics_new();
	/* Every statement of the redirector is short: a server that stops
	 * answering costs a bounded wait on every connection, from its
	 * first statement (hitlog_deadline_ms). */
	db_watch_all(hitlog_deadline_ms());
	if ((db = db_open(conf.db_path, 0)) == NULL)
		goto out;
	/* One request waits on at most one entry, so this never fills. */
	if ((hl = hitlog_open(db, conf.max_connections + 64, m)) == NULL) {
		db_close(db);
		goto out;
	}
	jc.window = (int)config_int(ch->cfg, "redirector.sweep_window");
	jc.links = (int)config_int(ch->cfg, "redirector.sweep_links");
	jc.links_fresh = (int)config_int(ch->cfg,
	    "redirector.sweep_links_fresh");
	jc.fresh = (int)config_int(ch->cfg, "redirector.sweep_fresh");
	hitlog_judge(hl, &jc);
	if ((route = route_new(ch->cfg, m)) == NULL)
		goto out;
	if ((http = http_start(&conf, route, hl, m)) == NULL)
		goto out;

	sigdelset(&set, SIGPIPE);
	for (;;) {
		/* Wake at least every 30 s so a past day's visitor key is
		 * destroyed even when no one clicks. */
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		route_tick(route, time(NULL));
	}
	log_info("redirector: stopping");
	http_quiesce(http);
	if (http_wait_idle(http, conf.timeout * 1000) == -1)
		log_warnx("redirector: requests still in progress after %u s",
		    conf.timeout);
	rc = 0;
out:
	/* Commits what is queued and settles every waiting answer. */
	hitlog_close(hl);
	if (http != NULL) {
		(void)http_wait_idle(http, 1000);
		http_stop(http);
	}
	hitlog_free(hl);
	route_free(route);
	metrics_free(m);
	if (rc == 0)
		log_info("redirector: stopped");
	return rc;
}
