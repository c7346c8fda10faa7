/*
 * outbox: atomic .eml files (temp file, fsync, rename, directory fsync),
 * the way OpenSMTPD's queue and Redis's RDB save keep files whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "digest/outbox.h"

int
outbox_prepare(const char *dir)
{
	struct stat st;

	/* Only the last directory: a parent that is missing is more likely
	 * a typo in smtp.url than a tree to grow. */
	if (mkdir(dir, 0755) == -1) {
		if (errno != EEXIST)
			return -1;
		if (stat(dir, &st) == -1)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
	}
	return 0;
}

int
outbox_write(const char *dir, const char *name, const void *data, size_t len,
    const char **what)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int fd = -1, saved;

	if (snprintf(path, sizeof(path), "%s/%s.eml", dir, name) >=
	    (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.eml.tmp", dir, name) >=
	    (int)sizeof(tmp)) {
		*what = "name";
		errno = ENAMETOOLONG;
		return -1;
	}
	*what = "create";
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		goto fail;
	*what = "write";
	if (fileio_write(fd, data, len) == -1)
		goto fail;
	*what = "fsync";
	if (fsync(fd) == -1)
		goto fail;
	*what = "close";
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	*what = "rename";
	if (rename(tmp, path) == -1)
		goto fail;
	/* The rename is durable only once the directory is. */
	*what = "fsync directory";
	if (fileio_sync_dir(dir) == -1)
		goto fail;
	return 0;
fail:
	saved = errno;
	if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	errno = saved;
	return -1;
}
