/* chorus backup FILE: a consistent copy of the live database. */
#include <stdio.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/dburi.h"
#include "common/log.h"
#include "db/admin.h"
#include "db/db.h"

static void
backup_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus backup FILE\n"
	    "\n"
	    "Writes a consistent copy of the database to FILE with SQLite's\n"
	    "online backup API. It is safe while the redirector and the\n"
	    "scheduler run: they go on writing meanwhile. The copy is written\n"
	    "to a temporary file beside FILE, synced, and renamed over FILE,\n"
	    "so an older backup of that name is replaced whole or not at all\n"
	    "(a dated backup can run again the same day). FILE's directory\n"
	    "must exist; FILE may not be the database itself.\n"
	    "\n"
	    "A PostgreSQL store (chorus.database a postgresql:// URI) is\n"
	    "backed up with PostgreSQL's own tools: pg_dump --format=custom\n"
	    "(restored with pg_restore), a base backup with WAL archiving,\n"
	    "or the managed service's snapshots; on one, chorus backup says\n"
	    "so and exits 64.\n");
}

int
cmd_backup(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct db *db;
	int c, r;

	while ((c = cli_getopt(argc, argv, "h", longopts, "backup")) != -1) {
		if (c == 'h') {
			backup_usage(stdout);
			return 0;
		}
		return EX_USAGE;
	}
	/* Nothing of the URI is printed: it may hold a password. */
	if (dburi_is_pg(config_str(ch->cfg, "chorus.database"))) {
		log_error("backup: chorus backup copies SQLite only; back up "
		    "this PostgreSQL store with pg_dump (e.g. 'pg_dump "
		    "--format=custom --file=FILE DBNAME', restored with "
		    "pg_restore), a base backup "
		    "with WAL archiving, or the managed service's "
		    "snapshots");
		return EX_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error("backup", "expected one FILE");
	if ((db = db_open(config_str(ch->cfg, "chorus.database"), 0)) == NULL)
		return 1;
	r = db_admin_backup(db, argv[optind]);
	db_close(db);
	if (r == -1)
		return 1;
	printf("backup written to '%s'\n", argv[optind]);
	return 0;
}
