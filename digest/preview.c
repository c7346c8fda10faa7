/*
 * digest preview: print one employee's digest without sending it or
 * changing the database (opened read-only). Existing personal links are
 * shown; links that do not exist yet appear as "preview-..." codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "common/buf.h"
#include "common/cli.h"
#include "common/config.h"
#include "common/day.h"
#include "common/log.h"
#include "common/validate.h"
#include "db/db.h"
#include "db/digest.h"
#include "digest/compose.h"
#include "digest/digest.h"
#include "digest/select.h"

static const struct {
	const char		*name;
	enum compose_format	 fmt;
} formats[] = {
	{ "eml", COMPOSE_EML },
	{ "html", COMPOSE_HTML },
	{ "text", COMPOSE_TEXT },
};

static void
preview_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus digest preview EMAIL [--date YYYY-MM-DD] "
	    "[--format eml|html|text]\n"
	    "\n"
	    "Prints the digest of the employee with address EMAIL for the\n"
	    "local date (default: today in the employee's time zone) without\n"
	    "sending it or changing the database. A digest already planned\n"
	    "for that date is shown as planned; otherwise the posts selection\n"
	    "would choose now. Personal links that do not exist yet are shown\n"
	    "as preview-NETWORK-POST codes.\n"
	    "\n"
	    "Options:\n"
	    "  --date YYYY-MM-DD   the employee's local date\n"
	    "  --format FORMAT     eml (the whole message, default), html or "
	    "text\n"
	    "\n"
	    "Exit status: 0 (also when there is no digest for that date, "
	    "said on stderr),\n"
	    "64 bad usage, 65 no such employee, 1 other errors.\n");
}

int
digest_cmd_preview(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *date = NULL, *email, *why, *zone;
	enum compose_format fmt = COMPOSE_EML;
	struct db_employee emp;
	struct compose *comp = NULL;
	struct db *db = NULL;
	struct buf out;
	char today[DAY_DATE_LEN];
	time_t now;
	size_t i;
	int c, y, m, d, n, reason, status = 1;

	memset(&emp, 0, sizeof(emp));
	buf_init(&out, 0);
	while ((c = cli_getopt(argc, argv, "h", longopts,
	    "digest preview")) != -1) {
		switch (c) {
		case 'd':
			date = optarg;
			break;
		case 'f':
			for (i = 0; i < sizeof(formats) / sizeof(formats[0]);
			    i++)
				if (strcmp(formats[i].name, optarg) == 0)
					break;
			if (i == sizeof(formats) / sizeof(formats[0]))
				return cli_usage_error("digest preview",
				    "unknown format '%s' (eml, html, text)",
				    optarg);
			fmt = formats[i].fmt;
			break;
		case 'h':
			preview_usage(stdout);
			return 0;
		default:
			return EX_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("digest preview", argc - optind < 1 ?
		    "an employee's EMAIL is required" : "one EMAIL only");
	email = argv[optind];
	if (date != NULL && validate_date(date, &y, &m, &d, &why) == -1)
		return cli_usage_error("digest preview", "--date '%s': %s",
		    date, why);
	if (config_check_templates(ch->cfg) == -1)
		return EX_USAGE;

	if ((db = db_open(config_str(ch->cfg, "chorus.database"),
	    DB_READONLY)) == NULL)
		goto out;
	if ((n = db_digest_employee_by_email(db, email, &emp)) == -1)
		goto out;
	if (n == 0) {
		log_error("digest preview: no employee '%s'", email);
		status = EX_DATAERR;
		goto out;
	}
	now = time(NULL);
	if (date == NULL) {
		zone = emp.timezone ? emp.timezone :
		    config_str(ch->cfg, "digest.timezone");
		if (day_local_date(zone, now, today) == -1) {
			log_error("digest preview: cannot tell today's date "
			    "in '%s'", zone);
			goto out;
		}
		date = today;
	}
	if ((comp = compose_new(ch->cfg)) == NULL)
		goto out;
	n = compose_preview(comp, db, emp.id, date, now, fmt, &out, &reason);
	if (n == -1)
		goto out;
	if (n == 0) {
		log_info("digest preview: no digest for '%s' on %s: %s",
		    emp.email, date, reason == SELECT_NOT_DUE ?
		    "not due (paused, weekly and not a Monday, weekdays on a "
		    "weekend, unsubscribed or inactive)" : "nothing new to "
		    "suggest (skipped)");
		status = 0;
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) == EOF) {
		log_error_errno("digest preview: stdout");
		goto out;
	}
	status = 0;
out:
	compose_free(comp);
	db_close(db);
	db_digest_employee_clear(&emp);
	free(emp.rolebuf);
	buf_release(&out);
	return status;
}
