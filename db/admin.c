/* db/admin: online backup (SQLite) and the status figures (both stores). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "db/admin.h"
#include "db/db_int.h"
#include "db/stmt.h"

static int
fsync_file(const char *path)
{
	int fd, r;

	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
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

/*
 * Whether path may receive a backup: its directory is there, and it is
 * missing or an older backup to replace. Never the live database itself
 * (its other connections would go on in a file no longer named), nor a
 * file whose write-ahead log is beside it (that log would be replayed
 * into the new copy). *mode is the permissions of the backup replaced,
 * or 0. Returns 0, or -1 after logging one line.
 */
static int
backup_check(struct db *db, const char *path, mode_t *mode)
{
	struct stat sb;
	char *dcopy, *wal;
	const char *dir;
	int ret = -1;

	*mode = 0;
	dcopy = xstrdup(path);
	dir = dirname(dcopy);
	wal = xasprintf("%s-wal", path);
	if (stat(dir, &sb) == -1) {
		log_error_errno("backup: '%s'", dir);
		goto out;
	}
	if (!S_ISDIR(sb.st_mode)) {
		log_error("backup: '%s': not a directory", dir);
		goto out;
	}
	if (access(dir, W_OK | X_OK) == -1) {
		log_error_errno("backup: '%s'", dir);
		goto out;
	}
	if (stat(path, &sb) == -1) {
		if (errno == ENOENT)
			ret = 0;
		else
			log_error_errno("backup: '%s'", path);
		goto out;
	}
	if (!S_ISREG(sb.st_mode))
		log_error("backup: '%s': %s", path, S_ISDIR(sb.st_mode) ?
		    "a directory" : "not a regular file");
	else if (db_owns_file(db, path))
		log_error("backup: '%s': the database itself", path);
	else if (access(wal, F_OK) == 0)
		log_error("backup: '%s': open, or not closed cleanly ('%s' "
		    "is beside it)", path, wal);
	else {
		*mode = sb.st_mode & 07777;
		ret = 0;
	}
out:
	free(dcopy);
	free(wal);
	return ret;
}

int
db_admin_backup(struct db *db, const char *path)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	char *tmp = NULL;
	mode_t mode;
	int rc, ret = -1;

	if (backup_check(db, path, &mode) == -1)
		return -1;
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
	/* A backup replaced keeps its permissions (it may be kept private). */
	if ((mode != 0 && chmod(tmp, mode) == -1) ||
	    fsync_file(tmp) == -1 || rename(tmp, path) == -1) {
		log_error("backup: '%s': %s", path, strerror(errno));
		goto out;
	}
	(void)fileio_sync_parent(path);
	ret = 0;
out:
	if (dst != NULL)
		sqlite3_close(dst);
	if (ret == -1 && tmp != NULL)
		unlink(tmp);
	free(tmp);
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

/* Runs on both stores (db/stmt.h). */
int
db_admin_status(struct db *db, const char *today, time_t day_start,
    struct db_admin_status *st)
{
	struct db_q *q;
	enum db_q_step rc;

	memset(st, 0, sizeof(*st));
	st->run_status = -1;
	if ((st->schema_version = db_schema_version(db)) == -1)
		return -1;
	if ((q = db_q(db, sql_status)) == NULL)
		return -1;
	db_q_text(q, 1, today);
	db_q_int64(q, 2, (int64_t)day_start);
	if (db_q_step(q) != DB_Q_ROW)
		return db_fail(db, "status");
	st->employees = (long)db_q_col_int64(q, 0);
	st->employees_active = (long)db_q_col_int64(q, 1);
	st->employees_unsubscribed = (long)db_q_col_int64(q, 2);
	st->posts = (long)db_q_col_int64(q, 3);
	st->posts_live = (long)db_q_col_int64(q, 4);
	st->links = (long)db_q_col_int64(q, 5);
	st->hits_today = (long)db_q_col_int64(q, 6);
	st->clicks_today = (long)db_q_col_int64(q, 7);
	st->hits_total = (long)db_q_col_int64(q, 8);
	st->failed_temp = (long)db_q_col_int64(q, 9);
	st->failed_perm = (long)db_q_col_int64(q, 10);
	st->sending = (long)db_q_col_int64(q, 11);
	db_q_reset(q);

	if ((q = db_q(db, sql_last_run)) == NULL)
		return -1;
	rc = db_q_step(q);
	if (rc == DB_Q_ROW) {
		st->has_run = 1;
		st->run_started = (time_t)db_q_col_int64(q, 0);
		st->run_finished = (time_t)db_q_col_int64(q, 1);
		st->run_sent = (long)db_q_col_int64(q, 2);
		st->run_skipped = (long)db_q_col_int64(q, 3);
		st->run_failed = (long)db_q_col_int64(q, 4);
		st->run_status = (int)db_q_col_int64(q, 5);
	} else if (rc != DB_Q_DONE)
		return db_fail(db, "last run");
	db_q_reset(q);
	return 0;
}
