/*
 * fileio: complete writes and directory syncs, for the files that appear
 * whole: the outbox's messages, reports, backups, exported templates.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/xmalloc.h"

int
fileio_write(int fd, const void *p, size_t len)
{
	const char *s = p;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int
fileio_sync_dir(const char *dir)
{
	int fd, rc, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
fileio_sync_parent(const char *path)
{
	char *d = xstrdup(path);	/* dirname() may write in it */
	int rc, saved;

	rc = fileio_sync_dir(dirname(d));
	saved = errno;
	free(d);
	errno = saved;
	return rc;
}
