/*
 * daykey: the visitor key of each UTC day, kept in visitor_keys so that
 * every process on one database hashes visitors under the same key. What
 * the key protects, and what it does not: redirector/visitor.h.
 */
#ifndef CHORUS_DAYKEY_H
#define CHORUS_DAYKEY_H

#include <stdint.h>

#define DAYKEY_LEN	32

struct db;

/*
 * Writes the key of day (UTC days since 1970-01-01) into out, in one write
 * transaction: the row of day is created with fresh (a random candidate
 * the caller drew) unless one exists, and whatever the row then holds is
 * read back, so the first process to ask for a day decides its key for
 * all. The rows of days before keep_from are deleted in the same
 * transaction. On SQLite under PRAGMA secure_delete (set on db by each
 * call), which overwrites their bytes in the page; a later checkpoint
 * (attempted here, passive) carries the overwritten page into the
 * database file. On PostgreSQL, which has no secure_delete, the table is
 * written anew by VACUUM FULL after the commit; its WAL, archive and
 * replicas keep the old keys for their own retention.
 * db must be a connection no other thread uses meanwhile. Returns 0, or
 * -1 after logging (out is then undefined). Never logs key bytes.
 */
int	 db_daykey_get(struct db *, int64_t day, int64_t keep_from,
	    const unsigned char fresh[DAYKEY_LEN],
	    unsigned char out[DAYKEY_LEN]);

#endif
