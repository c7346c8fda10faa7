/* chorus digest: not built yet; see the issue that builds it. */
#include <stdio.h>

#include "common/cli.h"
#include "common/log.h"

int
cmd_digest(struct chorus *ch, int argc, char **argv)
{
	(void)ch;
	(void)argc;
	(void)argv;
	log_error("digest: not implemented yet");
	return 1;
}
