/* chorus digest: dispatch to run, preview or schedule. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/log.h"
#include "digest/digest.h"

static const struct {
	const char	*name;
	int		(*fn)(struct chorus *, int, char **);
	const char	*summary;
} verbs[] = {
	{ "run", digest_cmd_run, "send every digest that is due now "
	    "(or all of --date)" },
	{ "preview", digest_cmd_preview, "print one employee's digest "
	    "without sending it" },
	{ "schedule", digest_cmd_schedule, "the scheduler daemon" },
};

static void
digest_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: chorus digest VERB [OPTIONS]\n\nVerbs:\n");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(fp, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(fp, "\nSee 'chorus digest VERB --help'.\n");
}

int
cmd_digest(struct chorus *ch, int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		digest_usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		digest_usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, argv[1]) == 0)
			return verbs[i].fn(ch, argc - 1, argv + 1);
	return cli_usage_error("digest", "unknown verb '%s'", argv[1]);
}
