/*
 * chorus: main(). The global options and the table of subcommands; each
 * subcommand lives with its module (import/, digest/, redirector/, report/).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/dburi.h"
#include "common/log.h"
#include "db/db.h"
#include "redirector/rejudge.h"

#ifndef CHORUS_VERSION
#define CHORUS_VERSION "0.1.0"
#endif

extern char **environ;

/* pg: the command runs on a PostgreSQL store (chorus.database a
 * postgresql:// URI) yet; the others refuse one before they start. */
static const struct cmd {
	const char	*name;
	int		(*fn)(struct chorus *, int, char **);
	const char	*summary;
	int		 pg;
} cmds[] = {
	{ "init", cmd_init, "create the database or migrate it", 1 },
	{ "import", cmd_import, "load employees or posts from CSV", 1 },
	{ "digest", cmd_digest, "send, preview or schedule the digests", 1 },
	{ "redirector", cmd_redirector, "run the short-link server", 1 },
	{ "report", cmd_report, "write a report: attribution, posts, "
	  "employees, leaderboard, daily, program (CSV) or html", 1 },
	{ "status", cmd_status, "print the database's figures", 1 },
	/* On PostgreSQL it says what to use instead (pg_dump). */
	{ "backup", cmd_backup, "copy the live database safely", 1 },
	/* Its store is SQLite, the one it copies from: it says so itself
	 * when chorus.database is a URI. */
	{ "migrate", cmd_migrate, "copy the database into an empty "
	    "PostgreSQL one", 1 },
	{ "config", cmd_config, "print the settings in effect", 1 },
	{ "templates", cmd_templates, "export the shipped templates to "
	    "customise them", 1 },
};

/* 1 if the subcommand's arguments ask for its --help, which needs no
 * store. */
static int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: chorus [-c FILE] [--db PATH] [-v | -q] COMMAND [ARGS]\n"
	    "\n"
	    "Options:\n"
	    "  -c, --config FILE  settings file (default: chorus.ini if it "
	    "exists)\n"
	    "      --db PATH      a database file or a postgresql:// URI\n"
	    "                     (overrides chorus.database)\n"
	    "  -v, --verbose      more log lines (debug)\n"
	    "  -q, --quiet        errors only\n"
	    "  -h, --help         this help; 'chorus COMMAND --help' for one "
	    "command\n"
	    "  -V, --version      print the version\n"
	    "\n"
	    "Commands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(fp, "  %-12s %s\n", cmds[i].name, cmds[i].summary);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct chorus ch = { NULL, NULL, environ };
	struct judge_conf jc;
	enum log_level level = LOG_LEVEL_INFO;
	const char *config_path = NULL;
	char *db = NULL;		/* in argv: written over below */
	char *why;
	struct stat st;
	struct dburi_span sp[DBURI_MAX_SECRETS];
	size_t i;
	int c, status;

	log_init("chorus", level);
	opterr = 0;
	/* '+': stop at the subcommand; its options are its own. */
	while ((c = getopt_long(argc, argv, "+:c:vqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'D':
			db = optarg;
			break;
		case 'v':
			level = LOG_LEVEL_DEBUG;
			break;
		case 'q':
			level = LOG_LEVEL_ERROR;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("chorus %s\n", CHORUS_VERSION);
			return 0;
		case ':':
			log_error("option '%s' needs a value (see 'chorus "
			    "--help')", argv[optind - 1]);
			return EX_USAGE;
		default:
			log_error("unknown option '%s' (see 'chorus --help')",
			    argv[optind - 1]);
			return EX_USAGE;
		}
	}
	log_init("chorus", level);
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[0], "help") == 0) {
		if (argc == 1) {
			usage(stdout);
			return 0;
		}
		argv[0] = argv[1];
		argv[1] = "--help";
		argc = 2;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, argv[0]) == 0)
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0])) {
		log_error("unknown command '%s' (see 'chorus --help')",
		    argv[0]);
		return EX_USAGE;
	}

	/* Settings: defaults, then the file, then the environment, then
	 * --db. A file named with -c must exist; chorus.ini is optional. */
	ch.cfg = config_new();
	if (config_path == NULL && stat("chorus.ini", &st) == 0)
		config_path = "chorus.ini";
	if (config_path != NULL &&
	    config_load_file(ch.cfg, config_path, 1) == -1) {
		config_free(ch.cfg);
		return EX_USAGE;
	}
	ch.config_path = config_path;
	if (config_load_env(ch.cfg, environ) == -1 ||
	    (db != NULL && config_set(ch.cfg, "chorus.database", db,
	    "--db") == -1)) {
		config_free(ch.cfg);
		return EX_USAGE;
	}

	/* Settings errors are usage errors (64), as `chorus config` says:
	 * so is a store this command cannot use yet. */
	if (!cmds[i].pg && dburi_is_pg(config_str(ch.cfg, "chorus.database")) &&
	    !wants_help(argc, argv)) {
		log_error("PostgreSQL store: %s not supported yet",
		    cmds[i].name);
		config_free(ch.cfg);
		return EX_USAGE;
	}

	/* A URI libpq cannot read is a bad setting too, as a misspelt
	 * scheme is (config.c); a server that cannot be reached is not. */
	if (!wants_help(argc, argv) && (why = db_uri_problem(config_str(ch.cfg,
	    "chorus.database"))) != NULL) {
		log_error("chorus.database: %s", why);
		free(why);
		if (db != NULL)
			dburi_scrub(db);
		config_free(ch.cfg);
		return EX_USAGE;
	}

	/* A password in --db is in argv, where ps shows it to every user;
	 * `chorus config` says so itself, with where the URI came from. */
	if (db != NULL && strcmp(cmds[i].name, "config") != 0 &&
	    dburi_is_pg(db) && dburi_secrets(db, sp, DBURI_MAX_SECRETS) > 0)
		log_warnx("warning: --db: the URI holds a password, which "
		    "other users see in the process list (ps); keep it in "
		    "~/.pgpass, a passfile= parameter or PGPASSFILE instead");
	/* ps reads the arguments from this process's memory: the password
	 * leaves them now that the settings hold their copy, so a redirector
	 * or a scheduler does not show it for its whole life (it was there
	 * from exec until here, which the warning above is for). */
	if (db != NULL)
		dburi_scrub(db);

	/* Every command that folds hits into the reports first judges
	 * sweeps again over every redirector's hits, with their rule. */
	jc.window = (int)config_int(ch.cfg, "redirector.sweep_window");
	jc.links = (int)config_int(ch.cfg, "redirector.sweep_links");
	jc.links_fresh = (int)config_int(ch.cfg,
	    "redirector.sweep_links_fresh");
	jc.fresh = (int)config_int(ch.cfg, "redirector.sweep_fresh");
	rejudge_install(&jc);

	optind = 0;	/* glibc: reset getopt for the subcommand */
	status = cmds[i].fn(&ch, argc, argv);
	config_free(ch.cfg);
	return status;
}
