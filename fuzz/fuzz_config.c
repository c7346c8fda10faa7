/*
 * fuzz_config: a settings file of arbitrary bytes through the loader
 * (libinih and config.c's reader, which cuts out the values of lines too
 * long for inih's buffer). Nothing may crash or leak, and a file either
 * loads or is refused; every value taken is one line without a NUL.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct config *c;
	char path[64];
	const char *v;

	if (fd == -1) {
		log_init("fuzz", LOG_LEVEL_ERROR);
		if ((fd = memfd_create("fuzz_config", 0)) == -1)
			abort();
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	c = config_new();
	(void)config_load_file(c, path, 1);
	v = config_str(c, "chorus.database");
	if (v == NULL || strchr(v, '\n') != NULL)
		abort();
	config_free(c);
	return 0;
}
