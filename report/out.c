/*
 * report/out: the report's destination. A named file is never seen
 * half-written: the report goes to a temporary file beside it, which is
 * flushed, synced and renamed over the old one, as a queue or an RDB save
 * would. A name that is no regular file (a named pipe, a terminal,
 * /dev/stdout on one) is written as it is: a rename would put a file in
 * its place. A symbolic link stays one: the file it names is the one
 * replaced, or made when it does not exist yet. A file replaced keeps its
 * permissions.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
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
#define OUT_LINKS	40		/* links followed, at most (as ELOOP) */

/* The name a chain of symbolic links from path ends at, malloc'd: path
 * itself when it is no link, the missing file a dangling link names
 * (relative targets taken from their link's directory). NULL after
 * logging, for a loop. */
static char *
out_resolve(const char *path)
{
	char *p = xstrdup(path), *d, *next, target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int i;

	for (i = 0; i < OUT_LINKS; i++) {
		if (lstat(p, &st) == -1 || !S_ISLNK(st.st_mode))
			return p;
		if ((n = readlink(p, target, sizeof(target) - 1)) == -1) {
			log_error_errno("report: '%s'", p);
			free(p);
			return NULL;
		}
		target[n] = '\0';
		if (target[0] == '/')
			next = xstrdup(target);
		else {
			d = xstrdup(p);
			next = xasprintf("%s/%s", dirname(d), target);
			free(d);
		}
		free(p);
		p = next;
	}
	log_error("report: '%s': too many symbolic links", path);
	free(p);
	return NULL;
}

int
report_out_open(struct report_out *o, const char *path)
{
	char *d = NULL, *b = NULL;
	struct stat st;
	mode_t um, mode;
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
	if ((o->path = out_resolve(path)) == NULL)
		return -1;
	path = o->path;
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
	/* mkstemp makes 0600: a report is an ordinary file, and one
	 * replaced keeps the permissions it had. */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	else {
		um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(fd, mode) == -1 ||
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
