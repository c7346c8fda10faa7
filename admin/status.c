/* chorus status: the database's figures at a glance, for operators. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/day.h"
#include "db/admin.h"
#include "db/db.h"

static void
status_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus status\n"
	    "\n"
	    "Prints the database's figures: employees, posts, links, hits\n"
	    "today (UTC), the last digest run and its outcome, and the digests\n"
	    "waiting for a retry.\n");
}

static void
fmt_time(time_t t, char *out, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

int
cmd_status(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = config_str(ch->cfg, "chorus.database");
	struct db_admin_status st;
	struct db *db;
	char today[DAY_DATE_LEN], started[64], finished[64];
	time_t now = time(NULL), day_start;
	long day;
	int c;

	while ((c = cli_getopt(argc, argv, "h", longopts, "status")) != -1) {
		if (c == 'h') {
			status_usage(stdout);
			return 0;
		}
		return EX_USAGE;
	}
	if (optind != argc)
		return cli_usage_error("status", "unexpected argument '%s'",
		    argv[optind]);
	day = day_of_time(now);
	day_format(day, today);
	day_start = (time_t)day * 86400;

	if ((db = db_open(path, DB_READONLY)) == NULL)
		return 1;
	if (db_admin_status(db, today, day_start, &st) == -1) {
		db_close(db);
		return 1;
	}
	/* db_path(): a PostgreSQL URI without its password. */
	printf("database:     %s (schema version %d)\n", db_path(db),
	    st.schema_version);
	db_close(db);
	printf("employees:    %ld active of %ld, %ld unsubscribed\n",
	    st.employees_active, st.employees, st.employees_unsubscribed);
	printf("posts:        %ld live today of %ld\n", st.posts_live,
	    st.posts);
	printf("links:        %ld\n", st.links);
	printf("hits today:   %ld (%ld human clicks); %ld in all\n",
	    st.hits_today, st.clicks_today, st.hits_total);
	if (st.has_run) {
		fmt_time(st.run_started, started, sizeof(started));
		if (st.run_finished != 0) {
			fmt_time(st.run_finished, finished, sizeof(finished));
			printf("last run:     %s to %s: %ld sent, %ld skipped, "
			    "%ld failed, exit %d\n", started, finished,
			    st.run_sent, st.run_skipped, st.run_failed,
			    st.run_status);
		} else
			printf("last run:     started %s, not finished "
			    "(running, or killed)\n", started);
	} else
		printf("last run:     none\n");
	printf("retry queue:  %ld failed temporarily (retried by the next "
	    "run), %ld failed for good, %ld being sent\n", st.failed_temp,
	    st.failed_perm, st.sending);
	return 0;
}
