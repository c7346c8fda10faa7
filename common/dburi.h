/*
 * dburi: what chorus.database names, an SQLite file or a PostgreSQL
 * connection URI, and the secrets such a URI may hold, so that no
 * password is ever printed. Pure: no library is spoken to.
 */
#ifndef CHORUS_DBURI_H
#define CHORUS_DBURI_H

#include <stddef.h>

struct dburi_span {
	size_t	off, len;	/* bytes of the URI */
};

/* Most secrets dburi_secrets() reports. */
#define DBURI_MAX_SECRETS	8
/* What a secret reads as once redacted. */
#define DBURI_REDACTED		"xxxxx"

/* 1 if s is a PostgreSQL URI (postgresql:// or postgres://), 0 if it is
 * an SQLite file name. */
int	 dburi_is_pg(const char *s);
/* The secrets of a URI (the user info's password; the password= and
 * sslpassword= parameters), found as libpq finds them, as spans of it.
 * Returns their number, at most max. */
size_t	 dburi_secrets(const char *uri, struct dburi_span *, size_t max);
/* Returns a malloc'd copy of a PostgreSQL URI with each secret read as
 * DBURI_REDACTED; a file name comes back as it is. The caller frees it. */
char	*dburi_redact(const char *s);
/* Writes 'x' over each secret of a PostgreSQL URI in place, its length
 * kept: for a URI in argv, which ps reads from the process's memory, once
 * a copy is kept. A file name is left as it is. */
void	 dburi_scrub(char *s);

#endif
