/*
 * chorus migrate --to URI: the SQLite database copied into an empty
 * PostgreSQL one, to move a company from one machine to a shared store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/dburi.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "db/copy.h"
#include "db/db.h"

/* --to env:NAME: the URI is the value of the environment variable NAME,
 * out of sight of ps. */
#define MIGRATE_ENV_PREFIX	"env:"

static void
migrate_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: chorus migrate --to postgresql://...\n"
	    "       chorus migrate --to env:NAME\n"
	    "\n"
	    "Copies the SQLite database (chorus.database, or --db) into an\n"
	    "empty PostgreSQL database: the target is first brought to the\n"
	    "current schema, as 'chorus init' does, and must hold no rows but\n"
	    "those 'chorus init' writes. The source is read in one snapshot,\n"
	    "safe while the redirector and the scheduler run; the target is\n"
	    "written in one transaction, committed only once every table's\n"
	    "row count equals the source's, so a failure leaves it without\n"
	    "rows (its schema made), and the command can run again.\n"
	    "Not copied:");
	for (i = 0; db_copy_skip[i] != NULL; i++)
		fprintf(fp, " %s", db_copy_skip[i]);
	fprintf(fp, " (each day's secret: a new one is made on first\n"
	    "use).\n"
	    "\n"
	    "A password in the URI is visible to other users in the process\n"
	    "list: keep it in ~/.pgpass, PGPASSFILE or PGPASSWORD, or put the\n"
	    "whole URI in an environment variable and name it with\n"
	    "--to env:NAME.\n");
}

/* The target's URI from the option's value; NULL after logging. */
static const char *
migrate_target(const char *arg, char *const *envp)
{
	struct dburi_span sp[DBURI_MAX_SECRETS];
	const char *name, *eq;
	size_t len;

	if (strncmp(arg, MIGRATE_ENV_PREFIX,
	    strlen(MIGRATE_ENV_PREFIX)) != 0) {
		if (dburi_secrets(arg, sp, DBURI_MAX_SECRETS) > 0)
			log_warnx("migrate: the password in --to is visible "
			    "to other users (ps): prefer ~/.pgpass, "
			    "PGPASSWORD or --to env:NAME");
		return arg;
	}
	name = arg + strlen(MIGRATE_ENV_PREFIX);
	len = strlen(name);
	for (; envp != NULL && *envp != NULL; envp++)
		if ((eq = strchr(*envp, '=')) != NULL &&
		    (size_t)(eq - *envp) == len &&
		    strncmp(*envp, name, len) == 0)
			return eq + 1;
	log_error("migrate: --to %s: no environment variable '%s'", arg,
	    name);
	return NULL;
}

int
cmd_migrate(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = config_str(ch->cfg, "chorus.database");
	const char *to = NULL;
	char *to_arg = NULL, *copy = NULL;
	struct db_copy_stats stats;
	struct timespec t0, t1;
	struct db *src = NULL, *dst = NULL;
	enum db_copy_status cs;
	char *shown, *why;
	size_t i;
	int c, status = 1;

	while ((c = cli_getopt(argc, argv, "t:h", longopts,
	    "migrate")) != -1) {
		switch (c) {
		case 't':
			to_arg = optarg;
			break;
		case 'h':
			migrate_usage(stdout);
			return 0;
		default:
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		/* A URI given without --to is quoted without its password. */
		shown = dburi_redact(argv[optind]);
		cli_usage_error("migrate", "unexpected argument '%s'", shown);
		free(shown);
		return EX_USAGE;
	}
	if (to_arg == NULL)
		return cli_usage_error("migrate", "--to postgresql://... is "
		    "required");
	if ((to = migrate_target(to_arg, ch->envp)) == NULL)
		return EX_USAGE;
	if (!dburi_is_pg(to))
		return cli_usage_error("migrate", "--to takes a postgresql:// "
		    "URI");
	if ((why = db_uri_problem(to)) != NULL) {
		log_error("migrate: --to: %s", why);
		free(why);
		return EX_USAGE;
	}
	if (dburi_is_pg(path)) {
		shown = dburi_redact(path);
		log_error("migrate: chorus.database '%s' is PostgreSQL "
		    "already: migrate copies an SQLite database into one",
		    shown);
		free(shown);
		return EX_USAGE;
	}

	/* ps reads argv from this process's memory: a password there goes
	 * once a copy is kept (a long copy would show it throughout). */
	to = copy = xstrdup(to);
	dburi_scrub(to_arg);

	/* The source first: a file that is missing or at another schema
	 * version is refused before the target is touched. */
	if ((src = db_open(path, DB_READONLY)) == NULL)
		goto out;
	if ((dst = db_open(to, DB_CREATE)) == NULL ||
	    db_migrate(dst, NULL, NULL) == -1)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cs = db_copy(src, dst, &stats);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (cs != DB_COPY_OK)
		goto out;
	printf("copied '%s' to '%s': %zu tables, %lld rows in %.2f s; not "
	    "copied:", db_path(src), db_path(dst), stats.tables, stats.rows,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (i = 0; db_copy_skip[i] != NULL; i++)
		printf(" %s", db_copy_skip[i]);
	printf("\n");
	status = 0;
out:
	db_close(dst);
	db_close(src);
	free(copy);
	return status;
}
