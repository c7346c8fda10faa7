/* chorus init: create the database or migrate it to the current schema. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/log.h"
#include "db/db.h"

static void
init_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus init\n"
	    "\n"
	    "Creates the database (chorus.database, or --db) or migrates it to\n"
	    "the current schema. Running it again changes nothing.\n");
}

int
cmd_init(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = config_str(ch->cfg, "chorus.database");
	struct db *db;
	int c, from, to;

	while ((c = cli_getopt(argc, argv, "h", longopts, "init")) != -1) {
		if (c == 'h') {
			init_usage(stdout);
			return 0;
		}
		return EX_USAGE;
	}
	if (optind != argc)
		return cli_usage_error("init", "unexpected argument '%s'",
		    argv[optind]);
	if ((db = db_open(path, DB_CREATE)) == NULL)
		return 1;
	if (db_migrate(db, &from, &to) == -1) {
		db_close(db);
		return 1;
	}
	/* The name as opened: a PostgreSQL URI without its password. */
	path = db_path(db);
	if (from == to)
		printf("database '%s' is at schema version %d; nothing to "
		    "do\n", path, to);
	else if (from == 0)
		printf("database '%s' created at schema version %d\n", path,
		    to);
	else
		printf("database '%s' migrated from schema version %d to %d\n",
		    path, from, to);
	db_close(db);
	return 0;
}
