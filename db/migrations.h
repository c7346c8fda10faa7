/* The numbered schema migrations compiled into the binary (db/migrations/). */
#ifndef CHORUS_DB_MIGRATIONS_H
#define CHORUS_DB_MIGRATIONS_H

#include <stddef.h>

struct migration {
	int		 version;	/* PRAGMA user_version after it */
	const char	*name;
	const char	*sql;
};

extern const struct migration migrations[];
extern const size_t nmigrations;

#endif
