/*
 * strlist: the ';'-separated lists of the CSV files ("engineering;sales",
 * "linkedin;x"), walked item by item with spaces and tabs trimmed.
 */
#ifndef CHORUS_STRLIST_H
#define CHORUS_STRLIST_H

#include <stddef.h>

/* Takes the next item of the list at *p: *item and *len describe it
 * (trimmed; len may be 0 for an empty item) and *p moves past it. Returns 1
 * for an item, 0 when the list is exhausted. Start with *p at the list. */
int	 strlist_next(const char **p, const char **item, size_t *len);

#endif
