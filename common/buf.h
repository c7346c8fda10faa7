/*
 * buf: a growable byte buffer with a hard cap, for anything fed by outside
 * input (CSV fields, MIME bodies, rendered templates). Appending past the cap
 * fails with -1 instead of growing, so hostile input cannot exhaust memory.
 * The contents are always NUL-terminated after a successful append.
 */
#ifndef CHORUS_BUF_H
#define CHORUS_BUF_H

#include <stddef.h>

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;
	size_t	 cap;		/* allocated, including room for the NUL */
	size_t	 max;		/* most bytes it may hold, 0 = SIZE_MAX/2 */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_release(struct buf *);
/* Empties the buffer, keeping its memory. */
void	 buf_reset(struct buf *);
/* Each returns 0, or -1 when the cap would be passed or memory is short;
 * on -1 the buffer is unchanged. */
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addc(struct buf *, char);
int	 buf_adds(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Makes room for extra more bytes (and the NUL) without changing the
 * contents, for a writer that fills data + len itself, then sets len and
 * the NUL. Returns 0, or -1 as buf_add() would. */
int	 buf_reserve(struct buf *, size_t extra);
/* Borrowed: valid until the buffer changes. Never NULL ("" when empty). */
const char *buf_cstr(const struct buf *);
/* Returns the malloc'd contents (never NULL); the caller frees them. The
 * buffer is left empty. */
char	*buf_detach(struct buf *);

#endif
