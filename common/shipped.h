/* The shipped templates, compiled into the binary from templates/ by
 * common/tpl2c.sh (one entry per file, in the order the build lists them).
 * common/template.c compiles them; `chorus templates export` writes them. */
#ifndef CHORUS_SHIPPED_H
#define CHORUS_SHIPPED_H

#include <stddef.h>

struct shipped_template {
	const char	*name;		/* "digest.html" */
	const char	*src;		/* len bytes, then a NUL */
	size_t		 len;
};

extern const struct shipped_template shipped_templates[];
extern const size_t nshipped_templates;

#endif
