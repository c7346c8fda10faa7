/*
 * xmalloc: allocation for start-up and internal code, which may die on
 * out-of-memory. Code fed by outside input uses a capped struct buf instead.
 */
#ifndef CHORUS_XMALLOC_H
#define CHORUS_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
/* Returns a malloc'd copy; the caller frees it. */
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Returns a malloc'd string; the caller frees it. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
