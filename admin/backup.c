/* chorus backup FILE: a consistent copy of the live database. */
#include <stdio.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/config.h"
#include "db/admin.h"
#include "db/db.h"

static void
backup_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus backup FILE\n"
	    "\n"
	    "Writes a consistent copy of the database to FILE (which must not\n"
	    "exist) with SQLite's online backup API. It is safe while the\n"
	    "redirector and the scheduler run: they go on writing meanwhile.\n");
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
