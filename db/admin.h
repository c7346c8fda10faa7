/*
 * db/admin: what operators ask of the store: a consistent backup while
 * Chorus runs, and the figures `chorus status` prints.
 */
#ifndef CHORUS_DB_ADMIN_H
#define CHORUS_DB_ADMIN_H

#include <time.h>

struct db;

/* Copies the live database into path with the SQLite backup API (a
 * consistent snapshot; writers go on meanwhile). The copy is written to a
 * temporary name beside path, synced and renamed into place, so an older
 * backup at path is replaced whole or not at all; path may not be the
 * database itself, a directory or another non-regular file.
 * The copy holds no visitor key (redirector/visitor.h): its visitor_keys
 * rows are deleted under secure_delete before the rename.
 * Returns 0 or -1 after logging. */
int	 db_admin_backup(struct db *, const char *path);

struct db_admin_status {
	long	 employees, employees_active, employees_unsubscribed;
	long	 posts, posts_live;		/* live: in their window */
	long	 links;
	long	 hits_today, clicks_today;	/* since UTC midnight */
	long	 hits_total;
	long	 failed_temp, failed_perm;	/* waiting, given up */
	long	 sending;			/* claimed by a run now */
	int	 has_run;
	time_t	 run_started, run_finished;	/* finished 0: still running */
	long	 run_sent, run_skipped, run_failed;
	int	 run_status;			/* exit status, -1 unknown */
	int	 schema_version;
};

/* Fills st for the UTC date today ("YYYY-MM-DD") starting at day_start. */
int	 db_admin_status(struct db *, const char *today, time_t day_start,
	    struct db_admin_status *st);

#endif
