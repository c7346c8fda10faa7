/*
 * report: what the files of `chorus report` share: the CSV reports' table,
 * the HTML page, and the output file that is either stdout or replaced
 * atomically. Days are UTC day numbers (common/day.h).
 */
#ifndef CHORUS_REPORT_H
#define CHORUS_REPORT_H

#include <stdio.h>

struct db;

/* The CSV reports, by name as on the command line. */
struct report_csv;
const struct report_csv *report_csv_find(const char *name);
/* A '|' separated list of the report names, for usage messages. */
const char *report_csv_names(void);
/* Streams the report over [from_day, to_day] into fp as CSV (csv.h flags).
 * Returns 0, or -1 after logging. */
int	 report_csv_write(const struct report_csv *, struct db *,
	    long from_day, long to_day, FILE *fp, int csv_flags);

/* The self-contained HTML report over [from_day, to_day]. Returns 0, or
 * -1 after logging. */
/* The top of a chart's y axis for values up to v: four ticks of a round
 * whole step (1, 2, 2.5 from 10 on, or 5 times a power of ten), so every
 * label is exact. Returns 4 * step, at least 4. */
long long report_html_axis_max(long long v);
int	 report_html_write(struct db *, long from_day, long to_day, FILE *fp);

/* Where a report goes: stdout, or FILE replaced atomically (a temporary
 * file in the same directory, flushed, synced and renamed over it; on
 * failure the old file is untouched and the temporary removed). */
struct report_out {
	FILE	*fp;
	char	*path;		/* NULL for stdout */
	char	*tmp;
	int	 stream;	/* path is no file: written as it is */
};
int	 report_out_open(struct report_out *, const char *path);
/* Makes the output final. Returns 0, or -1 after logging (the temporary
 * is then removed). */
int	 report_out_commit(struct report_out *);
/* Drops the output: the temporary is removed, FILE untouched. */
void	 report_out_abort(struct report_out *);

#endif
