/* digest run / digest schedule: not built yet. */
#include "common/cli.h"
#include "common/log.h"
#include "digest/digest.h"

int
digest_cmd_run(struct chorus *ch, int argc, char **argv)
{
	(void)ch;
	(void)argc;
	(void)argv;
	log_error("digest run: not implemented yet");
	return 1;
}

int
digest_cmd_schedule(struct chorus *ch, int argc, char **argv)
{
	(void)ch;
	(void)argc;
	(void)argv;
	log_error("digest schedule: not implemented yet");
	return 1;
}
