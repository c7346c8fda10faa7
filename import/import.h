/*
 * import: the CSV import driver shared by employees and posts. The driver
 * reads the header, finds columns by name, reads every record, and hands
 * each row's values to the kind's row function, which validates them and,
 * while the file is still clean, writes them inside one transaction. Any
 * error rolls the whole file back.
 */
#ifndef CHORUS_IMPORT_H
#define CHORUS_IMPORT_H

#include <stddef.h>
#include <time.h>

struct config;
struct db;
struct import;

struct import_col {
	const char	*name;
	int		 required;
};

struct import_kind {
	const char		*name;		/* "employees" */
	const struct import_col	*cols;
	size_t			 ncols;
	/* Inside the transaction, before the first row. May be NULL. */
	int			(*begin)(struct import *);
	/* vals[i] is column i's trimmed value ("" when absent or empty).
	 * Reports problems with import_error(); writes with import_db() only
	 * when import_ok(). Returns 0, or -1 on a database error. */
	int			(*row)(struct import *, const char **vals);
	/* After the last row, before commit (e.g. prune). May be NULL. */
	int			(*finish)(struct import *);
	/* When not NULL, the summary line ends with the IMPORT_KEPT count
	 * and this text (employees: rows where HR's value was set aside). */
	const char		*kept;
};

extern const struct import_kind import_employees;
extern const struct import_kind import_posts;

/* Prints "FILE:LINE: column: reason" and marks the import failed. */
void	 import_error(struct import *, const char *column, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Whether the file's header names the kind's column col (an index into
 * its cols): a column left out leaves what is stored as it is. */
int	 import_has(const struct import *, size_t col);
/* True while no error has been found: rows may be written. */
int	 import_ok(const struct import *);
struct db *import_db(struct import *);
const struct config *import_config(struct import *);
time_t	 import_now(const struct import *);
int	 import_prune(const struct import *);
/* Records key (already normalised) on the current line; if it was seen
 * before returns that line, else 0. */
unsigned long import_key_seen(struct import *, const char *key);
/* Counters for the summary line. */
enum import_count { IMPORT_ADDED, IMPORT_UPDATED, IMPORT_UNCHANGED,
	IMPORT_DEACTIVATED, IMPORT_KEPT, IMPORT_NCOUNTS };
void	 import_count(struct import *, enum import_count, long n);

/* Splits a ';' list into trimmed, ASCII-lower-cased, sorted, unique items
 * stored in out (cap bytes; items point into it). Reports errors for
 * column. Returns the number of items, or -1. */
int	 import_split_roles(struct import *, const char *column,
	    const char *value, char *out, size_t cap, const char **items,
	    size_t maxitems);

#endif
