/* chorus import: stub until the importers land. */
#include "common/cli.h"
#include "common/log.h"

int
cmd_import(struct chorus *ch, int argc, char **argv)
{
	(void)ch;
	(void)argc;
	(void)argv;
	log_error("import: not implemented yet");
	return 1;
}
