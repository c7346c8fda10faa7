/* cli: shared option parsing and usage errors for the subcommands. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/cli.h"
#include "common/log.h"

int
cli_getopt(int argc, char **argv, const char *optstring,
    const struct option *longopts, const char *cmdname)
{
	char opts[64];
	int c;

	/* A leading ':' makes getopt report a missing argument as ':'. */
	snprintf(opts, sizeof(opts), ":%s", optstring);
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == '?') {
		if (optopt != 0)
			cli_usage_error(cmdname, "unknown option '-%c'", optopt);
		else
			cli_usage_error(cmdname, "unknown option '%s'",
			    argv[optind - 1]);
		return '?';
	}
	if (c == ':') {
		cli_usage_error(cmdname, "option '%s' needs a value",
		    argv[optind - 1]);
		return '?';
	}
	return c;
}

int
cli_usage_error(const char *cmdname, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s: %s (see 'chorus %s --help')", cmdname, msg, cmdname);
	return EX_USAGE;
}
