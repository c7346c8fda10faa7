/*
 * report/out: the report's destination. A named file is never seen
 * half-written: the report goes to a temporary file beside it, which is
 * flushed, synced and renamed over the old one, as a queue or an RDB save
 * would. A name that is no regular file (a named pipe, a terminal,
 * /dev/stdout on one) is written as it is: a rename would put a file in
 * its place. A symbolic link to a file stays one: the file it names is
 * the one replaced.
 */
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
#include "report/report.h"

#define OUT_BUFSIZ	(256 * 1024)

int
report_out_open(struct report_out *o, const char *path)
{
	char *d = NULL, *b = NULL;
	struct stat st;
	mode_t um;
	int fd;

	memset(o, 0, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		/* Reports are large: fewer, bigger writes. */
		setvbuf(o->fp, NULL, _IOFBF, OUT_BUFSIZ);
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			log_error("report: '%s' is a directory", path);
			return -1;
		}
		if ((o->fp = fopen(path, "w")) == NULL) {
			log_error_errno("report: '%s'", path);
			return -1;
		}
		o->stream = 1;
		setvbuf(o->fp, NULL, _IOFBF, OUT_BUFSIZ);
		return 0;
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (o->path = realpath(path, NULL)) != NULL)
		path = o->path;
	else
		o->path = xstrdup(path);
	d = xstrdup(path);
	b = xstrdup(path);
	o->tmp = xasprintf("%s/.%s.XXXXXX", dirname(d), basename(b));
	free(d);
	free(b);
	if ((fd = mkstemp(o->tmp)) == -1) {
		log_error_errno("report: cannot create a file beside '%s'",
		    path);
		goto fail;
	}
	/* mkstemp makes 0600; a report is an ordinary file. */
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) == -1 ||
	    (o->fp = fdopen(fd, "w")) == NULL) {
		log_error_errno("report: '%s'", o->tmp);
		close(fd);
		unlink(o->tmp);
		goto fail;
	}
	setvbuf(o->fp, NULL, _IOFBF, OUT_BUFSIZ);
	return 0;
fail:
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return -1;
}

int
report_out_commit(struct report_out *o)
{
	int rc = 0;

	if (o->stream) {
		if (fflush(o->fp) == EOF || ferror(o->fp)) {
			log_error_errno("report: write");
			rc = -1;
		}
		if (fclose(o->fp) == EOF && rc == 0) {
			log_error_errno("report: write");
			rc = -1;
		}
		memset(o, 0, sizeof(*o));
		return rc;
	}
	if (o->path == NULL) {
		if (fflush(o->fp) == EOF || ferror(o->fp)) {
			log_error_errno("report: write to standard output");
			rc = -1;
		}
		o->fp = NULL;
		return rc;
	}
	if (fflush(o->fp) == EOF || ferror(o->fp) ||
	    fsync(fileno(o->fp)) == -1) {
		log_error_errno("report: write '%s'", o->tmp);
		report_out_abort(o);
		return -1;
	}
	if (fclose(o->fp) == EOF) {
		o->fp = NULL;
		log_error_errno("report: write '%s'", o->tmp);
		report_out_abort(o);
		return -1;
	}
	o->fp = NULL;
	if (rename(o->tmp, o->path) == -1) {
		log_error_errno("report: rename to '%s'", o->path);
		report_out_abort(o);
		return -1;
	}
	/* So that the rename itself survives a crash. */
	(void)fileio_sync_parent(o->path);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return 0;
}

void
report_out_abort(struct report_out *o)
{
	if (o->stream) {
		if (o->fp != NULL)
			fclose(o->fp);
		memset(o, 0, sizeof(*o));
		return;
	}
	if (o->path == NULL) {
		if (o->fp != NULL)
			fflush(o->fp);
		o->fp = NULL;
		return;
	}
	if (o->fp != NULL)
		fclose(o->fp);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
