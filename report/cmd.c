/* chorus report: not built yet; see the issue that builds it. */
#include <stdio.h>

#include "common/cli.h"
#include "common/log.h"

int
cmd_report(struct chorus *ch, int argc, char **argv)
{
	(void)ch;
	(void)argc;
	(void)argv;
	log_error("report: not implemented yet");
	return 1;
}
