/* chorus config: print the settings in effect, or their reference. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/config.h"

static void
config_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus config [--markdown | --man]\n"
	    "\n"
	    "Prints every setting with its value and where it came from\n"
	    "(default, FILE:LINE, environment variable or option), once every\n"
	    "check has passed: values, duplicates, and the files the digest\n"
	    "commands will use (smtp.password_file readable, the file: outbox\n"
	    "directory or its parent). --markdown and --man print the\n"
	    "reference table used by the README and chorus.ini(5).\n"
	    "\n"
	    "Exit status: 0 all settings pass; 64 one does not (each error\n"
	    "names FILE:LINE, the variable or the option, and the key).\n");
}

int
cmd_config(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "markdown", no_argument, NULL, 'm' },
		{ "man", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	enum config_format fmt = CONFIG_DUMP;
	int c;

	while ((c = cli_getopt(argc, argv, "h", longopts, "config")) != -1) {
		switch (c) {
		case 'h':
			config_usage(stdout);
			return 0;
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
	if (fmt == CONFIG_DUMP && config_check_mail(ch->cfg) == -1)
		return EX_USAGE;
	config_write(ch->cfg, stdout, fmt);
	return 0;
}
