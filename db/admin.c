/* db/admin: online backup and the status figures. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "db/admin.h"
#include "db/db_int.h"

static int
fsync_path(const char *path, int dir)
{
	int fd, r;

	if ((fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) |
	    O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/*
 * A backup never holds a visitor key (redirector/visitor.h): the copy's
 * rows of visitor_keys are deleted with secure_delete, which zeroes their
 * bytes in the page, and with the rollback journal in memory, so the page
 * as it was is not written to a journal file either. The table is one
 * page whose deleted rows the redirector zeroes too (db/daykey.c), so no
 * older copy of a key is left in free space: no VACUUM, which would cost
 * a second full write of the backup.
 */
static int
backup_scrub(sqlite3 *dst, const char *tmp)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(dst, "SELECT 1 FROM sqlite_schema WHERE "
	    "type = 'table' AND name = 'visitor_keys'", -1, &st,
	    NULL) != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW || sqlite3_exec(dst,
	    "PRAGMA journal_mode = MEMORY; PRAGMA secure_delete = ON; "
	    "DELETE FROM visitor_keys", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	log_error("backup: '%s': removing the visitor keys: %s", tmp,
	    sqlite3_errmsg(dst));
	return -1;
}

int
db_admin_backup(struct db *db, const char *path)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	char *tmp = NULL, *dcopy = NULL;
	struct stat sb;
	int rc, ret = -1;

	if (stat(path, &sb) == 0) {
		log_error("backup: '%s' already exists", path);
		return -1;
	}
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		log_error("backup: '%s': %s", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	if ((bk = sqlite3_backup_init(dst, "main", db->h, "main")) == NULL) {
		log_error("backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	/* Copy in steps so writers are not held off for long; a step that
	 * meets a lock is simply retried. */
	do {
		rc = sqlite3_backup_step(bk, 1024);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		log_error("backup: %s", sqlite3_errstr(rc));
		goto out;
	}
	if (backup_scrub(dst, tmp) == -1)
		goto out;
	if (sqlite3_close(dst) != SQLITE_OK) {
		log_error("backup: close '%s'", tmp);
		dst = NULL;
		goto out;
	}
	dst = NULL;
	if (fsync_path(tmp, 0) == -1 || rename(tmp, path) == -1) {
		log_error("backup: '%s': %s", path, strerror(errno));
		goto out;
	}
	dcopy = xstrdup(path);
	(void)fsync_path(dirname(dcopy), 1);
	ret = 0;
out:
	if (dst != NULL)
		sqlite3_close(dst);
	if (ret == -1 && tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(dcopy);
	return ret;
}

static const char sql_status[] =
    "SELECT "
    " (SELECT count(*) FROM employees),"
    " (SELECT count(*) FROM employees WHERE active = 1),"
    " (SELECT count(*) FROM employees WHERE unsubscribed_at IS NOT NULL),"
    " (SELECT count(*) FROM posts),"
    " (SELECT count(*) FROM posts WHERE (starts IS NULL OR starts <= ?1)"
    "   AND (expires IS NULL OR expires >= ?1)),"
    " (SELECT count(*) FROM links),"
    " (SELECT count(*) FROM hits WHERE ts >= ?2),"
    " (SELECT count(*) FROM hits WHERE ts >= ?2 AND class = 'human'"
    "   AND kind = 'click'),"
    " (SELECT count(*) FROM hits),"
    " (SELECT count(*) FROM ledger WHERE state = 'failed_temp'),"
    " (SELECT count(*) FROM ledger WHERE state = 'failed_perm'),"
    " (SELECT count(*) FROM ledger WHERE state = 'sending')";
static const char sql_last_run[] =
    "SELECT started_at, coalesce(finished_at, 0), sent, skipped, failed,"
    " coalesce(status, -1) FROM runs ORDER BY id DESC LIMIT 1";

int
db_admin_status(struct db *db, const char *today, time_t day_start,
    struct db_admin_status *st)
{
	sqlite3_stmt *s;
	int rc;

	memset(st, 0, sizeof(*st));
	st->run_status = -1;
	if ((st->schema_version = db_schema_version(db)) == -1)
		return -1;
	if ((s = db_stmt(db, sql_status)) == NULL)
		return -1;
	db_bind_text(s, 1, today);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)day_start);
	if (sqlite3_step(s) != SQLITE_ROW)
		return db_fail(db, "status");
	st->employees = sqlite3_column_int64(s, 0);
	st->employees_active = sqlite3_column_int64(s, 1);
	st->employees_unsubscribed = sqlite3_column_int64(s, 2);
	st->posts = sqlite3_column_int64(s, 3);
	st->posts_live = sqlite3_column_int64(s, 4);
	st->links = sqlite3_column_int64(s, 5);
	st->hits_today = sqlite3_column_int64(s, 6);
	st->clicks_today = sqlite3_column_int64(s, 7);
	st->hits_total = sqlite3_column_int64(s, 8);
	st->failed_temp = sqlite3_column_int64(s, 9);
	st->failed_perm = sqlite3_column_int64(s, 10);
	st->sending = sqlite3_column_int64(s, 11);
	sqlite3_reset(s);

	if ((s = db_stmt(db, sql_last_run)) == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		st->has_run = 1;
		st->run_started = (time_t)sqlite3_column_int64(s, 0);
		st->run_finished = (time_t)sqlite3_column_int64(s, 1);
		st->run_sent = sqlite3_column_int64(s, 2);
		st->run_skipped = sqlite3_column_int64(s, 3);
		st->run_failed = sqlite3_column_int64(s, 4);
		st->run_status = sqlite3_column_int(s, 5);
	} else if (rc != SQLITE_DONE)
		return db_fail(db, "last run");
	sqlite3_reset(s);
	return 0;
}
