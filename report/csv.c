/*
 * report/csv: the CSV reports as one table. Each row names a report, the
 * query behind it (db/report.c) and its columns in the SPEC's order; one
 * loop writes any of them, row by row as SQLite steps, so memory stays
 * flat however many hits there are.
 */
#include <stdio.h>
#include <string.h>

#include "common/csv.h"
#include "common/day.h"
#include "common/log.h"
#include "db/report.h"
#include "report/report.h"

enum col_type { COL_TEXT, COL_INT, COL_DAY };
/* Months ("YYYY-MM") and participation ("0.500") come as text. */

#define REPORT_MAXCOLS	12

struct report_csv {
	const char		*name;
	enum db_report_kind	 kind;
	struct {
		const char	*name;
		enum col_type	 type;
	}			 col[REPORT_MAXCOLS];
};

static const struct report_csv reports[] = {
	{ "attribution", DB_REPORT_ATTRIBUTION, {
	    { "date", COL_DAY }, { "employee_email", COL_TEXT },
	    { "employee_name", COL_TEXT }, { "roles", COL_TEXT },
	    { "post_id", COL_TEXT }, { "post_title", COL_TEXT },
	    { "network", COL_TEXT }, { "shares", COL_INT },
	    { "previews", COL_INT }, { "clicks", COL_INT },
	    { "unique_clicks", COL_INT }, { "bot_hits", COL_INT } } },
	{ "posts", DB_REPORT_POSTS, {
	    { "post_id", COL_TEXT }, { "post_title", COL_TEXT },
	    { "suggested", COL_INT }, { "shares", COL_INT },
	    { "previews", COL_INT }, { "clicks", COL_INT },
	    { "unique_clicks", COL_INT }, { "sharers", COL_INT },
	    { "declined", COL_INT } } },
	{ "employees", DB_REPORT_EMPLOYEES, {
	    { "employee_email", COL_TEXT }, { "employee_name", COL_TEXT },
	    { "roles", COL_TEXT }, { "digests_sent", COL_INT },
	    { "shares", COL_INT }, { "previews", COL_INT },
	    { "clicks", COL_INT }, { "unique_clicks", COL_INT } } },
	{ "leaderboard", DB_REPORT_LEADERBOARD, {
	    { "rank", COL_INT }, { "employee_email", COL_TEXT },
	    { "employee_name", COL_TEXT }, { "roles", COL_TEXT },
	    { "score", COL_INT }, { "shares", COL_INT },
	    { "clicks", COL_INT }, { "unique_clicks", COL_INT } } },
	{ "daily", DB_REPORT_DAILY, {
	    { "date", COL_DAY }, { "digests_sent", COL_INT },
	    { "digests_skipped", COL_INT }, { "digests_failed", COL_INT },
	    { "shares", COL_INT }, { "previews", COL_INT },
	    { "clicks", COL_INT }, { "unique_clicks", COL_INT },
	    { "bot_hits", COL_INT } } },
	{ "program", DB_REPORT_PROGRAM, {
	    { "month", COL_TEXT }, { "employees_active", COL_INT },
	    { "digests_sent", COL_INT }, { "sharers", COL_INT },
	    { "participation", COL_TEXT }, { "shares", COL_INT },
	    { "previews", COL_INT }, { "clicks", COL_INT },
	    { "unique_clicks", COL_INT }, { "declined", COL_INT },
	    { "unsubscribed", COL_INT }, { "paused", COL_INT } } },
};
#define NREPORTS	(sizeof(reports) / sizeof(reports[0]))

const struct report_csv *
report_csv_find(const char *name)
{
	size_t i;

	for (i = 0; i < NREPORTS; i++)
		if (strcmp(reports[i].name, name) == 0)
			return &reports[i];
	return NULL;
}

const char *
report_csv_names(void)
{
	return "attribution|posts|employees|leaderboard|daily|program";
}

int
report_csv_write(const struct report_csv *rep, struct db *db, long from_day,
    long to_day, FILE *fp, int csv_flags)
{
	struct csv_writer *w = NULL;
	struct db_report *r = NULL;
	char day[16];
	int i, ncols, rc = -1, st;

	if ((w = csv_writer_new(fp, csv_flags | CSV_W_NEUTRALIZE)) == NULL) {
		log_error("report: out of memory");
		goto out;
	}
	for (ncols = 0; ncols < REPORT_MAXCOLS && rep->col[ncols].name;
	    ncols++)
		if (csv_write_str(w, rep->col[ncols].name) == -1)
			goto werr;
	if (csv_end_record(w) == -1)
		goto werr;
	if ((r = db_report_open(db, rep->kind, from_day, to_day)) == NULL)
		goto out;
	if (db_report_ncols(r) != ncols)
		fatalx("report: %s: query has %d columns, table %d (a bug)",
		    rep->name, db_report_ncols(r), ncols);
	while ((st = db_report_step(r)) == 1) {
		for (i = 0; i < ncols; i++) {
			switch (rep->col[i].type) {
			case COL_INT:
				st = csv_write_int(w, db_report_int(r, i));
				break;
			case COL_DAY:
				day_format((long)db_report_int(r, i),
				    day);
				st = csv_write_str(w, day);
				break;
			default:
				st = csv_write_str(w, db_report_text(r, i));
				break;
			}
			if (st == -1)
				goto werr;
		}
		if (csv_end_record(w) == -1)
			goto werr;
	}
	if (st == -1)
		goto out;
	if (csv_writer_finish(w) == -1)
		goto werr;
	rc = 0;
	goto out;
werr:
	log_error_errno("report: %s: write", rep->name);
out:
	db_report_close(r);
	csv_writer_free(w);
	return rc;
}
