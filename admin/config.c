/* chorus config: print the settings in effect, or their reference. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/dburi.h"
#include "common/log.h"

static void
config_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus config [--check | --markdown | --man]\n"
	    "\n"
	    "Prints every setting with its value and where it came from\n"
	    "(default, FILE:LINE, environment variable or option), once every\n"
	    "check has passed: values, duplicates, and the files the digest\n"
	    "commands will use (smtp.password_file readable, the file: outbox\n"
	    "directory or its parent). Warnings on stderr name settings that\n"
	    "work here but hurt in production: chorus.base_url on plain http\n"
	    "at a public host, digest.from at a domain mail cannot come from,\n"
	    "a password inside a postgresql:// chorus.database (keep it in\n"
	    "~/.pgpass, a passfile= parameter or PGPASSFILE instead; the\n"
	    "password itself is never printed).\n"
	    "--check runs the checks and prints only errors and warnings.\n"
	    "--markdown and --man print the reference table used by the\n"
	    "README and chorus.ini(5).\n"
	    "\n"
	    "Exit status: 0 all settings pass (warnings included); 64 one does\n"
	    "not (each error names FILE:LINE, the variable or the option, and\n"
	    "the key).\n");
}

/* Warns when chorus.database is a PostgreSQL URI that holds a password:
 * it is then in the settings file, the environment or argv. The warning
 * names where it came from, never the password. */
static void
config_warn_db_password(const struct config *cfg)
{
	struct dburi_span sp[DBURI_MAX_SECRETS];
	const char *uri = config_str(cfg, "chorus.database");

	if (!dburi_is_pg(uri) ||
	    dburi_secrets(uri, sp, DBURI_MAX_SECRETS) == 0)
		return;
	log_warnx("warning: %s: chorus.database: the URI holds a password%s; "
	    "keep it in ~/.pgpass, a passfile= parameter or PGPASSFILE "
	    "instead", config_origin(cfg, "chorus.database"),
	    strcmp(config_origin(cfg, "chorus.database"), "--db") == 0 ?
	    ", which other users see in the process list (ps)" : "");
}

int
cmd_config(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "markdown", no_argument, NULL, 'm' },
		{ "man", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	enum config_format fmt = CONFIG_DUMP;
	int c, check = 0;

	while ((c = cli_getopt(argc, argv, "h", longopts, "config")) != -1) {
		switch (c) {
		case 'h':
			config_usage(stdout);
			return 0;
		case 'c':
			check = 1;
			break;
		case 'm':
			fmt = CONFIG_MARKDOWN;
			break;
		case 'M':
			fmt = CONFIG_MAN;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error("config", "unexpected argument '%s'",
		    argv[optind]);
	if (check && fmt != CONFIG_DUMP)
		return cli_usage_error("config", "--check prints no table");
	if (fmt == CONFIG_DUMP && config_check_mail(ch->cfg) == -1)
		return EX_USAGE;
	if (fmt == CONFIG_DUMP)
		config_warn_db_password(ch->cfg);
	if (check)
		return 0;
	config_write(ch->cfg, stdout, fmt);
	return 0;
}
