/*
 * chorus report: option parsing and the run of one report: open the store,
 * fold the new hits into the roll-up, stream the report into its output.
 */
#include <stdio.h>
#include <string.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/csv.h"
#include "common/day.h"
#include "common/log.h"
#include "db/db.h"
#include "db/report.h"
#include "report/report.h"

static void
report_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: chorus report NAME [--from D] [--to D] [--out FILE] "
	    "[--excel]\n"
	    "\n"
	    "Writes one report as CSV (stdout by default). NAME is one of\n"
	    "  attribution  date x employee x post x network with activity\n"
	    "  posts        one row per post\n"
	    "  employees    one row per employee\n"
	    "  leaderboard  employees with activity, best first\n"
	    "  daily        one row per date\n"
	    "  program      one row per month: participation and fatigue\n"
	    "  html         a self-contained page with charts (not CSV)\n"
	    "\n"
	    "Options:\n"
	    "  --from D     first UTC date, YYYY-MM-DD (default: the first)\n"
	    "  --to D       last UTC date, inclusive (default: the last)\n"
	    "  --out FILE   write FILE atomically instead of stdout\n"
	    "  --excel      UTF-8 byte-order mark and CRLF line ends\n");
}

int
cmd_report(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "excel", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct report_csv *rep = NULL;
	const char *out_path = NULL, *name, *why;
	struct report_out out = { NULL, NULL, NULL, 0 };
	struct db *db = NULL;
	long from = REPORT_DAY_MIN, to = REPORT_DAY_MAX;
	int c, excel = 0, html, rc;

	while ((c = cli_getopt(argc, argv, "h", longopts, "report")) != -1) {
		switch (c) {
		case 'f':
			if (day_parse(optarg, &from, &why) == -1)
				return cli_usage_error("report",
				    "--from '%s': %s", optarg, why);
			break;
		case 't':
			if (day_parse(optarg, &to, &why) == -1)
				return cli_usage_error("report",
				    "--to '%s': %s", optarg, why);
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'x':
			excel = 1;
			break;
		case 'h':
			report_usage(stdout);
			return 0;
		default:
			return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error("report", "which report? (%s|html)",
		    report_csv_names());
	name = argv[optind];
	if (optind + 1 < argc)
		return cli_usage_error("report", "unexpected argument '%s'",
		    argv[optind + 1]);
	html = strcmp(name, "html") == 0;
	if (!html && (rep = report_csv_find(name)) == NULL)
		return cli_usage_error("report", "unknown report '%s' (%s|html)",
		    name, report_csv_names());
	if (html && excel)
		return cli_usage_error("report", "--excel is for CSV reports");
	if (from > to)
		return cli_usage_error("report", "--from is after --to");

	if ((db = db_open(config_str(ch->cfg, "chorus.database"), 0)) == NULL)
		return 1;
	rc = 1;
	if (out_path != NULL && db_owns_file(db, out_path)) {
		log_error("report: '%s': the database itself", out_path);
		goto out;
	}
	if (db_report_refresh(db) == -1)
		goto out;
	if (report_out_open(&out, out_path) == -1)
		goto out;
	if (html)
		c = report_html_write(db, from, to, out.fp);
	else
		c = report_csv_write(rep, db, from, to, out.fp,
		    excel ? CSV_W_BOM | CSV_W_CRLF : 0);
	if (c == -1) {
		report_out_abort(&out);
		goto out;
	}
	if (report_out_commit(&out) == -1)
		goto out;
	rc = 0;
out:
	db_close(db);
	return rc;
}
