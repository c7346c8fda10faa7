/* digest preview: not built yet. */
#include "common/cli.h"
#include "common/log.h"
#include "digest/digest.h"

int
digest_cmd_preview(struct chorus *ch, int argc, char **argv)
{
	(void)ch;
	(void)argc;
	(void)argv;
	log_error("digest preview: not implemented yet");
	return 1;
}
