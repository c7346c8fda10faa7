/*
 * db/links: the personal short links, one per (employee, post, network),
 * each with a random code (common/random.h) that is stored once and reused
 * whenever the same triple comes again. Writes run inside the caller's
 * transaction; the statements are prepared once per connection, so
 * creating the links of many digests in one transaction is cheap.
 */
#ifndef CHORUS_DB_LINKS_H
#define CHORUS_DB_LINKS_H

#include <stdint.h>
#include <time.h>

#include "common/network.h"
#include "common/random.h"

struct db;

/* The code of an existing link into code (RAND_CODE_LEN + 1 bytes).
 * Returns 1 when found, 0 when there is none, -1 after logging. */
int	 db_links_find(struct db *, int64_t employee_id, int64_t post_id,
	    enum network, char *code);

/* The code of the triple's link, creating the link when there is none.
 * On entry code holds a fresh random code drawn by the caller (so many
 * can come from one rand_base62() call), or is empty to have rand_code()
 * draw one in a slice of its own; a code another link has already is
 * drawn again in the same slice. On return it holds the link's code.
 * Returns 1 when created, 0 when reused, -1 after logging. */
int	 db_links_ensure(struct db *, int64_t employee_id, int64_t post_id,
	    enum network, time_t now, char *code);

/* One link of a digest: post, network and the code, as for
 * db_links_ensure(). */
struct db_link_want {
	int64_t		 post_id;
	enum network	 network;
	char		 code[RAND_CODE_LEN + 1];
};

/* db_links_ensure() for each of the n links, in order, with the same
 * outcome: new links go in several to a statement, and a statement that
 * meets a taken code or an existing triple is undone and its links made
 * one at a time. Returns 0, or -1 after logging. */
int	 db_links_ensure_all(struct db *, int64_t employee_id,
	    struct db_link_want *, size_t n, time_t now);

#endif
