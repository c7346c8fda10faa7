/*
 * fileio: what every file that must appear whole needs (a temporary file
 * written out, synced, renamed over the name; then its directory synced,
 * so that the rename survives a crash): a write that writes everything,
 * and a directory's sync.
 */
#ifndef CHORUS_FILEIO_H
#define CHORUS_FILEIO_H

#include <stddef.h>

/* Writes all len bytes of p to fd, again after a signal or a short write.
 * Returns 0, or -1 with errno. */
int	fileio_write(int fd, const void *p, size_t len);

/* Syncs the directory dir / the one that holds path. Returns 0, or -1 with
 * errno (ENOTDIR when dir is none). */
int	fileio_sync_dir(const char *dir);
int	fileio_sync_parent(const char *path);

#endif
