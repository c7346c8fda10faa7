/*
 * pgarr: PostgreSQL array literals, the text form in which a statement
 * takes a whole batch as one parameter: {1,-2}, {"a","b\"c",NULL},
 * {"\\x0a1b"}. Elements go in one at a time; the first failure (memory)
 * is kept, so a caller checks once, at pgarr_end(), and never binds a
 * literal with an element missing. Text elements are always quoted:
 * nothing a caller passes can break the literal open. Inside db/ only;
 * no libpq here, the server's grammar alone.
 */
#ifndef CHORUS_DB_PGARR_H
#define CHORUS_DB_PGARR_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

struct pgarr {
	struct buf	 b;
	size_t		 n;		/* elements so far */
	int		 failed;
	int		 closed;	/* pgarr_end() ran */
};

void	 pgarr_init(struct pgarr *);
void	 pgarr_int(struct pgarr *, int64_t);
/* NULL is SQL NULL; any other string is one element, as it is. */
void	 pgarr_text(struct pgarr *, const char *);
/* n bytes as one bytea element (the hex form). */
void	 pgarr_bytea(struct pgarr *, const unsigned char *, size_t n);
void	 pgarr_null(struct pgarr *);
/* The literal, closed (once: a second call gives the same): valid until
 * pgarr_release(). NULL when memory ran short at any element. Nothing
 * more may be appended. */
const char *pgarr_end(struct pgarr *);
void	 pgarr_release(struct pgarr *);

#endif
