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

/* The PostgreSQL store's, from db/migrations/pg/: the same versions, its
 * schema_version table in place of PRAGMA user_version (db/pg.c). */
extern const struct migration pg_migrations[];
extern const size_t npg_migrations;

#endif
