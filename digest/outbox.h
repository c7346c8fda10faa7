/*
 * outbox: the file transport. Each message becomes its own NAME.eml in a
 * directory, written whole or not at all: a temporary file, fsync, rename,
 * then fsync of the directory, so a crash leaves either no file or the
 * complete message, and a retry of the same digest replaces its file.
 */
#ifndef CHORUS_OUTBOX_H
#define CHORUS_OUTBOX_H

#include <stddef.h>

/* Creates dir if missing, but not its parents: a missing parent fails with
 * ENOENT, a file in dir's place with ENOTDIR. Returns 0, or -1 with errno. */
int	 outbox_prepare(const char *dir);

/* Writes data as DIR/NAME.eml. name is [A-Za-z0-9._-] only. Returns 0, or
 * -1 with errno set and *what naming the failed step. */
int	 outbox_write(const char *dir, const char *name, const void *data,
	    size_t len, const char **what);

#endif
