/*
 * copy: an SQLite store copied into an empty PostgreSQL one (chorus
 * migrate --to). Every table of the schema, in an order that satisfies
 * its foreign keys, in one transaction on each side, counts checked.
 */
#ifndef CHORUS_DB_COPY_H
#define CHORUS_DB_COPY_H

#include <stddef.h>

struct db;

enum db_copy_status {
	DB_COPY_OK = 0,
	DB_COPY_NOT_EMPTY,	/* the target holds rows: nothing written */
	DB_COPY_ERROR,		/* nothing written either */
};

struct db_copy_stats {
	size_t		tables;		/* tables copied */
	long long	rows;		/* rows copied, in all */
	size_t		skipped;	/* tables of the schema not copied */
};

/* The tables of the schema that are never copied (db/copy.c says why):
 * visitor_keys, each day's secret, made again on first use.
 * NULL-terminated. */
extern const char *const db_copy_skip[];

/*
 * Copies src, an SQLite store opened read-only at the current schema, into
 * dst, a PostgreSQL store at the same version whose tables hold no rows
 * but those its migrations write. src is read in one read transaction (a
 * consistent snapshot, whatever writes to it meanwhile); dst is written in
 * one transaction, its tables locked against writers, committed only once
 * each table's row count equals the source's and each identity column's
 * sequence is past the largest id copied. On failure nothing is written.
 * Returns DB_COPY_OK, or the failure after logging one line (for
 * DB_COPY_NOT_EMPTY, naming the first table that holds rows).
 */
enum db_copy_status db_copy(struct db *src, struct db *dst,
	    struct db_copy_stats *);

/*
 * The order of n tables that satisfies their foreign keys: parent[i]
 * lists the tables (indexes) table i refers to, nparent[i] of them (a
 * reference to itself is ignored). Writes the indexes into order, each
 * table after every table it refers to, ties by index. Returns 0, or -1
 * when the references go round in a cycle. Pure.
 */
int	 db_copy_order(size_t n, const size_t *const *parent,
	    const size_t *nparent, size_t *order);

/* The tables of src to copy, in the order db_copy copies them: a
 * malloc'd NULL-terminated array of malloc'd names (free with
 * db_copy_plan_free), or NULL after logging. */
char	**db_copy_plan(struct db *src);
void	 db_copy_plan_free(char **);

#endif
