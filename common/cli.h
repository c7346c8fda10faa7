/*
 * cli: what every subcommand shares: the run context (settings, paths,
 * verbosity), the subcommand entry points, and small option helpers so each
 * subcommand's --help and usage errors look the same.
 */
#ifndef CHORUS_CLI_H
#define CHORUS_CLI_H

#include <getopt.h>
#include <sysexits.h>

struct config;

struct chorus {
	struct config	*cfg;		/* settings after file, env, options */
	const char	*config_path;	/* the file read, or NULL */
	char *const	*envp;
};

/* Each subcommand: argv[0] is its own name; returns an exit status. */
int	cmd_init(struct chorus *, int, char **);
int	cmd_import(struct chorus *, int, char **);
int	cmd_digest(struct chorus *, int, char **);
int	cmd_redirector(struct chorus *, int, char **);
int	cmd_report(struct chorus *, int, char **);
int	cmd_config(struct chorus *, int, char **);
int	cmd_status(struct chorus *, int, char **);
int	cmd_backup(struct chorus *, int, char **);
int	cmd_templates(struct chorus *, int, char **);
int	cmd_migrate(struct chorus *, int, char **);

/* Parses argv with getopt_long from the start (options may follow
 * operands). On an unknown option or a missing argument prints
 * "chorus: CMD: ..." with a pointer to --help and returns '?'. */
int	cli_getopt(int argc, char **argv, const char *optstring,
	    const struct option *longopts, const char *cmdname);
/* Prints "chorus: CMD: msg (see 'chorus CMD --help')" and returns EX_USAGE. */
int	cli_usage_error(const char *cmdname, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
